using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>Issue 21: a node serves the limits it enforces, so a client learns them without being refused first.</summary>
[Collection(BadInputCollection.Name)]
public sealed class StatusLimitsTests(BadInputNode node)
{
    [Fact]
    public async Task GetStatus_serves_the_limits_the_node_enforces()
    {
        var limits = (await node.Public.GetStatusAsync(new GetStatusRequest())).Limits;

        limits.Transaction.TxBytesMax.Should().Be(65_536, "the genesis leaves limits to their defaults");
        limits.Transaction.StringCharsMax.Should().Be(1_024);
        limits.PublicRequestBytesMax.Should().BeGreaterThan(limits.Transaction.TxBytesMax);
        limits.BlockTransactionsMax.Should().Be(10_000);
        limits.BlockBytesMax.Should().Be(12UL * 1024 * 1024);
        limits.MempoolTransactionsMax.Should().BeGreaterThan(0);
        var justOver = new TxEnvelope { Body = ByteString.CopyFrom(new byte[limits.Transaction.TxBytesMax]) };
        justOver.CalculateSize().Should().BeGreaterThan((int)limits.Transaction.TxBytesMax);

        var refused = await node.SubmitRefusedAsync(justOver);

        refused.ShouldBeRefusal(StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge);
    }
}
