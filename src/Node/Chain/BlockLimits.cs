namespace Ledger.Node.Chain;

/// <summary>How much a block may carry; set in the node's configuration, the same on every validator.</summary>
public sealed record BlockLimits(int TransactionsMax = 2_000, long BytesMax = 4 * 1024 * 1024);
