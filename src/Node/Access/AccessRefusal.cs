using Grpc.Core;
using Ledger.Node.Services;

namespace Ledger.Node.Access;

/// <summary>A call refused for its caller's identity: the code, and a sentence naming what is missing or wrong.</summary>
public sealed record AccessRefusal(string Code, string Message)
{
    public StatusCode Status => AccessCodes.StatusOf(Code);

    /// <summary>The status with the code in the message and in the trailer, as <see cref="RefusalStatus"/> does for rules.</summary>
    public RpcException ToException() =>
        new(new Status(Status, $"{Code}: {Message}"), new Metadata { { RefusalStatus.RuleCodeTrailer, Code } });

    public override string ToString() => $"{Code}: {Message}";
}
