namespace Ledger.Client.Audit;

/// <summary>Where a replay is: blocks and transactions checked, their rate, and the time left at that rate.</summary>
public sealed record AuditProgress(ulong Height, ulong TargetHeight, long Transactions, double TransactionsPerSecond, TimeSpan? Remaining);
