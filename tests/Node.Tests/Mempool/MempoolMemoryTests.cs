using System.Globalization;
using Google.Protobuf;
using Ledger.Contracts.Execution;
using Ledger.Node.Bench;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Node.Mempool;
using Ledger.Node.Tests.Chain;

namespace Ledger.Node.Tests.Mempool;

/// <summary>
/// A full mempool must fit in a node's heap: nodes died of OutOfMemoryException at 38,000 pending transactions
/// under the 384 MiB limit when the default allowed 50,000. Measured with forced collections, so it runs alone.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class MempoolMemoryTests
{
    private const int Pending = 4_000;

    [Fact]
    public void A_full_mempool_at_the_default_limits_takes_at_most_a_quarter_of_the_node_heap()
    {
        var chain = new ChainFixture();
        var chamber = CorridorGenesis.CnChamber;
        var wire = CertificateLoad.Sign(ChainFixture.ChainId, [(chamber, chain.MemberKeys[chamber])], Pending, chain.Config.GenesisTimeMs + 86_400_000)
            .Select(e => e.ToByteArray())
            .ToArray();
        var pool = new TransactionPool(Pending, long.MaxValue);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        long wireBytes = 0;
        foreach (var bytes in wire)
        {
            // Parsed from bytes, as a Submit or a gossip message arrives: nothing shared with the signed originals.
            var decoded = TransactionDecoder.Decode(bytes, ChainFixture.ChainId, chain.Config.Limits);
            pool.Add(decoded.Transaction!).Should().Be(MempoolAdmission.Added);
            wireBytes += bytes.Length;
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(pool);

        var perTransaction = (double)(after - before) / Pending;
        var perWireByte = (double)(after - before) / wireBytes;
        var defaults = new MempoolConfig();
        var heapLimit = long.Parse(NodeProcessEnvironment.Settings.Single(s => s.Key == "DOTNET_GCHeapHardLimit").Value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        (perTransaction * defaults.TransactionsMax).Should().BeLessThan(heapLimit / 4,
            $"a pool full by count must leave the heap to blocks, caches and the tree (a pending transaction holds {perTransaction:F0} bytes)");
        (perWireByte * defaults.BytesMax).Should().BeLessThan(heapLimit / 4,
            $"a pool full by bytes must leave the heap to blocks, caches and the tree (a pending transaction holds {perWireByte:F1} bytes per byte on the wire)");
    }
}
