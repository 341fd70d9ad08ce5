namespace Ledger.Node.Bench;

/// <summary>The figures of one commit benchmark run.</summary>
/// <param name="Ed25519VerificationsPerSecondOneCore">
/// Ed25519 verifications a second on one core, over 1 KiB: the median of <see cref="Ed25519Rate"/>'s warm windows
/// (until issue 25, its first second, which a fresh process runs ~40% slower).
/// </param>
/// <param name="CeilingTransactionsPerSecond">Cores × <paramref name="Ed25519VerificationsPerSecondOneCore"/> / validators: each validator verifies each transaction once.</param>
/// <param name="FractionOfCeiling">Committed transactions a second over that warm ceiling.</param>
/// <param name="Ed25519Rate">The Ed25519 windows themselves: the first second and each warm one.</param>
/// <param name="NodePathRate">
/// The same measured through the nodes' own path (the transaction decoder on this run's envelopes: parse, canonical
/// form, limits and the signature), one core.
/// </param>
/// <param name="NodePathCeilingTransactionsPerSecond">Cores × the node path's warm median / validators.</param>
/// <param name="FractionOfNodePathCeiling">Committed transactions a second over that ceiling.</param>
/// <param name="NodesAllocatedBytesPerTransaction">
/// Bytes the nodes together allocated on their GC heaps in the measured window, a committed transaction (their
/// runtime's dotnet.gc.heap.total_allocated, read from each node's metrics endpoint before and after).
/// </param>
/// <param name="NodesGcPauseMsPerTransaction">
/// Milliseconds the nodes together were paused for garbage collection in that window, a committed transaction
/// (dotnet.gc.pause.time). Wall time with a node's threads suspended, not CPU time: on a machine with fewer cores than
/// nodes it includes waiting for a core, so it is not a share of NodesCpuMsPerTransaction.
/// </param>
/// <param name="NodesGcPausedFractionOfWall">The fraction of the window's wall time a node was paused for GC, the mean over the nodes.</param>
public sealed record CommitBenchResult(
    int Validators,
    int OfferedPerSecond,
    int DurationSeconds,
    string SuiteMix,
    int Submitted,
    int Committed,
    int RefusedAtSubmit,
    double CommittedPerSecond,
    LatencyStats FinalityLatency,
    double TransactionsPerBlock,
    int Blocks,
    double DiskBytesPerTransaction,
    IReadOnlyList<long> PeakMemoryBytesPerNode,
    double Ed25519VerificationsPerSecondOneCore,
    double CeilingTransactionsPerSecond,
    double FractionOfCeiling,
    double NodesCpuMsPerTransaction,
    double DriverCpuMsPerTransaction,
    double NodesBusyCores,
    double DriverBusyCores,
    double CpuBoundTransactionsPerSecond,
    IReadOnlyList<string> NodesDied,
    int WarmupSeconds = 0,
    WarmRate? Ed25519Rate = null,
    WarmRate? NodePathRate = null,
    double NodePathCeilingTransactionsPerSecond = 0,
    double FractionOfNodePathCeiling = 0,
    double NodesAllocatedBytesPerTransaction = 0,
    double NodesGcPauseMsPerTransaction = 0,
    double NodesGcPausedFractionOfWall = 0)
{
    /// <summary>A run in which a node died measured a smaller network than it says: its figures are not to be used.</summary>
    public bool Failed => NodesDied.Count > 0;
}
