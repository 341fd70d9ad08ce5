namespace Ledger.Node.Bench;

/// <summary>The figures of one commit benchmark run.</summary>
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
    int WarmupSeconds = 0)
{
    /// <summary>A run in which a node died measured a smaller network than it says: its figures are not to be used.</summary>
    public bool Failed => NodesDied.Count > 0;
}
