using Grpc.Core;
using Ledger.Node.Services;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>Calls through the typed client, and what a refusal must look like.</summary>
public static class BadInputCalls
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    public static async Task<RpcException> RefusedAsync(Func<CallOptions, Task> call)
    {
        try
        {
            await call(new CallOptions(deadline: DateTime.UtcNow.Add(CallTimeout)));
        }
        catch (RpcException e)
        {
            return e;
        }
        throw new InvalidOperationException("the call was expected to be refused, and it succeeded");
    }

    public static Task<RpcException> SubmitRefusedAsync(this BadInputNode node, TxEnvelope envelope) =>
        RefusedAsync(o => node.Public.SubmitAsync(new SubmitRequest { Transaction = envelope, WaitForCommit = true }, o).ResponseAsync);

    /// <summary>Submitted with wait_for_commit; fails unless it was committed (with OK or a contract's refusal in its receipt).</summary>
    public static async Task<SubmitResponse> CommitAsync(this BadInputNode node, TxEnvelope envelope)
    {
        var response = await node.Public.SubmitAsync(new SubmitRequest { Transaction = envelope, WaitForCommit = true, WaitTimeoutMs = 20_000 },
            deadline: DateTime.UtcNow.Add(CallTimeout));
        response.Committed.Should().BeTrue("a transaction that passes admission is committed within the wait");
        return response;
    }

    /// <summary>The status code, the rule's code in the trailer, and a message that starts with it and says more.</summary>
    public static void ShouldBeRefusal(this RpcException refused, StatusCode status, string code)
    {
        refused.StatusCode.Should().Be(status, refused.Status.Detail);
        refused.Trailers.GetValue(RefusalStatus.RuleCodeTrailer).Should().Be(code, refused.Status.Detail);
        refused.Status.Detail.Should().StartWith(code + ": ");
        refused.Status.Detail.Length.Should().BeGreaterThan(code.Length + 20, "the message explains the rule to a person");
    }
}
