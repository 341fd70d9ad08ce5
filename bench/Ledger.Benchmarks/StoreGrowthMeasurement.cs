using System.Diagnostics;
using Ledger.Contracts.StateTree;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Benchmarks;

/// <summary>
/// How <see cref="BlockStore.CommitBlock"/> scales with the ledger's size, which BenchmarkDotNet's fresh
/// databases cannot show: fills a store to about <c>--keys</c> state keys in blocks of <c>--tx</c>
/// certificate-like transactions, then times <c>--blocks</c> more commits and counts the documents each
/// writes. Medians and minimums over those blocks, so a busy machine shows as spread, not as a trend; and
/// the process's CPU time beside the wall time, which other processes on the machine disturb far less.
/// <c>dotnet run -c Release --project bench/Ledger.Benchmarks -- store-growth --keys 100000</c>
/// </summary>
public static class StoreGrowthMeasurement
{
    public static void Run(string[] args)
    {
        var keys = Option(args, "--keys", 0);
        var transactions = Option(args, "--tx", 2_000);
        var measured = Option(args, "--blocks", 8);
        var valueBytes = Option(args, "--value-bytes", 1_536);
        var folder = Path.Combine(Path.GetTempPath(), "ledger-store-growth-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var database = new NodeDatabase(folder);
            var store = new BlockStore(database, SyntheticChain.Identity);
            var chain = new SyntheticChain(seed: 11, transactions, valueBytes);
            chain.InitialiseGenesis(store);
            // Each block adds two keys a transaction (a value and its tx/ mark).
            var fillBlocks = keys / (2 * transactions);
            var fill = Stopwatch.StartNew();
            for (var i = 0; i < fillBlocks; i++)
            {
                store.CommitBlock(chain.Next());
            }
            Console.WriteLine($"filled {fillBlocks} blocks (~{fillBlocks * 2L * transactions:N0} keys) in {fill.Elapsed.TotalSeconds:F1} s");
            var commitMs = new List<double>();
            var commitCpuMs = new List<double>();
            var applyMs = new List<double>();
            var applyCpuMs = new List<double>();
            var documents = new List<int>();
            for (var i = 0; i < measured; i++)
            {
                var block = chain.Next();
                // The node applies each block to the stored tree before it commits it: time those reads too.
                var apply = Stopwatch.StartNew();
                var applyCpu = CpuMs();
                new SparseMerkleTree(TreeReaderOf(store), store.Head.StateRoot).Apply(
                    block.Changes.Select(c => new KeyValuePair<byte[], byte[]?>(Contracts.Execution.LedgerStateMachine.TreeKey(c.Key), c.Value)).ToArray());
                applyMs.Add(apply.Elapsed.TotalMilliseconds);
                applyCpuMs.Add(CpuMs() - applyCpu);
                var commit = Stopwatch.StartNew();
                var commitCpu = CpuMs();
                store.CommitBlock(block);
                commitMs.Add(commit.Elapsed.TotalMilliseconds);
                commitCpuMs.Add(CpuMs() - commitCpu);
                // Block, certificate, receipts and head, the state changes, and the tree's documents.
                documents.Add(4 + block.Changes.Count + TreeDocumentsOf(block));
                Console.WriteLine($"block {block.Height}: {documents[^1]:N0} documents ({block.Changes.Count:N0} state, {TreeDocumentsOf(block):N0} tree), " +
                    $"commit {commitMs[^1]:F0} ms ({commitCpuMs[^1]:F0} ms CPU), tree apply from the store {applyMs[^1]:F0} ms ({applyCpuMs[^1]:F0} ms CPU)");
            }
            var bytes = Directory.GetFiles(folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
            var totalTx = (long)(fillBlocks + measured) * transactions;
            Console.WriteLine($"keys ~{(fillBlocks + measured) * 2L * transactions:N0}, {transactions} tx a block: commit median {Median(commitMs):F0} ms " +
                $"(min {commitMs.Min():F0}; CPU median {Median(commitCpuMs):F0} ms, min {commitCpuMs.Min():F0}), tree apply median {Median(applyMs):F0} ms " +
                $"(min {applyMs.Min():F0}; CPU median {Median(applyCpuMs):F0} ms, min {applyCpuMs.Min():F0}), documents a block median {Median(documents.Select(d => (double)d).ToList()):N0}; " +
                $"database {bytes:N0} bytes open, {bytes / (double)totalTx:N0} bytes per transaction");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ITreePageReader TreeReaderOf(BlockStore store) => store.TreePages;

    private static int TreeDocumentsOf(CommittedBlock block) => block.NewTreePages.Count;

    // All threads of the process (GC included): the measurement itself runs on one.
    private static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
