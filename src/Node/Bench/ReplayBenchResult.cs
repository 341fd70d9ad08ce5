namespace Ledger.Node.Bench;

/// <summary>The figures of one replay benchmark.</summary>
public sealed record ReplayBenchResult(
    int Transactions,
    int Blocks,
    int Findings,
    double Seconds,
    double TransactionsPerSecond,
    int Cores,
    double Ed25519VerificationsPerSecondOneCore);
