using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Benchmarks;

/// <summary>
/// Durable block commits into a fresh LiteDB database: <see cref="Blocks"/> blocks of
/// <see cref="TransactionsPerBlock"/> certificate-like transactions (a 1.5 KiB value and a tx mark
/// each, about 9 new tree nodes each), each block one transaction with its fsync. Reported per block.
/// The database's bytes per transaction are printed after each iteration.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BlockStoreBenchmark : IDisposable
{
    private const int Blocks = 20;
    private CommittedBlock[] _blocks = [];
    private SyntheticChain _chain = null!;
    private string _folder = "";
    private NodeDatabase? _database;
    private BlockStore? _store;

    [Params(1_000)]
    public int TransactionsPerBlock { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chain = new SyntheticChain(seed: 7, TransactionsPerBlock, valueBytes: 1_536);
        _blocks = Enumerable.Range(0, Blocks).Select(_ => _chain.Next()).ToArray();
    }

    [IterationSetup]
    public void OpenFreshDatabase()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ledger-bench-" + Guid.NewGuid().ToString("N"));
        _database = new NodeDatabase(_folder);
        _store = new BlockStore(_database, SyntheticChain.Identity);
        _chain.InitialiseGenesis(_store);
    }

    [Benchmark(OperationsPerInvoke = Blocks)]
    public void CommitBlock()
    {
        foreach (var block in _blocks)
        {
            _store!.CommitBlock(block);
        }
    }

    [IterationCleanup]
    public void Cleanup()
    {
        var before = Directory.GetFiles(_folder).Sum(f => new FileInfo(f).Length);
        _database!.Dispose();
        var after = new FileInfo(Path.Combine(_folder, NodeDatabase.FileName)).Length;
        Console.WriteLine($"// database: {before:N0} bytes open (data + log), {after:N0} bytes closed; " +
            $"{after / (double)(Blocks * TransactionsPerBlock):N0} bytes per transaction");
        _database = null;
        Directory.Delete(_folder, recursive: true);
    }

    public void Dispose()
    {
        _database?.Dispose();
        GC.SuppressFinalize(this);
    }
}
