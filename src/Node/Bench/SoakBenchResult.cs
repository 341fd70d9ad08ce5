namespace Ledger.Node.Bench;

/// <summary>The figures and verdicts of one `ledger bench soak` run.</summary>
/// <param name="Acknowledged">Transactions the client library returned a committed receipt for.</param>
/// <param name="NotAcknowledged">Submissions that ended in a timeout or no reachable node (they may still be committed; not checked).</param>
/// <param name="Converged">All nodes answered the same height, last block hash and state root at one moment after the settle.</param>
/// <param name="Failures">Each reason the run failed: lost or misplaced transactions, divergence, a node that did not come back.</param>
public sealed record SoakBenchResult(
    int Validators,
    double Minutes,
    int KillEverySeconds,
    int DownSeconds,
    int OfferedPerSecond,
    int Offered,
    int Acknowledged,
    int NotAcknowledged,
    int Refused,
    double AcknowledgedPerSecond,
    LatencyStats AcknowledgeLatency,
    IReadOnlyList<SoakKill> Kills,
    bool Converged,
    double SettleSeconds,
    IReadOnlyList<SoakNodeCheck> Nodes,
    IReadOnlyList<SoakMemoryMinute> Memory,
    IReadOnlyList<SoakMemoryGrowth> MemoryGrowth,
    IReadOnlyList<string> Failures);
