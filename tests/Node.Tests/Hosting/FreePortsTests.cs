using System.Net;
using System.Net.Sockets;
using Ledger.Node.Devnet;

namespace Ledger.Node.Tests.Hosting;

public sealed class FreePortsTests
{
    [Fact]
    public void Ranges_lie_below_the_ephemeral_ports_are_free_and_never_overlap_within_a_process()
    {
        var first = FreePorts.FindRange(4);
        var second = FreePorts.FindRange(4);

        foreach (var start in new[] { first, second })
        {
            start.Should().BeGreaterThanOrEqualTo(FreePorts.RangeStart);
            (start + 4).Should().BeLessThanOrEqualTo(FreePorts.RangeEnd, "Linux hands out source ports from 32768 up");
        }
        Enumerable.Range(first, 4).Intersect(Enumerable.Range(second, 4)).Should().BeEmpty(
            "two callers that have not bound their ports yet must not be handed the same ones");
        using var listener = new TcpListener(IPAddress.Loopback, second);
        listener.Start();
    }
}
