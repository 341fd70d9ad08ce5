namespace Ledger.Node.Bench;

/// <summary>
/// One node's median resident memory in the last minute against the second (the first is start-up). Flagged above
/// <see cref="SoakBench.GrowthFlagPercent"/>; a node restarted in the last minute looks smaller than it will be.
/// </summary>
public sealed record SoakMemoryGrowth(int Node, long SecondMinuteMedianBytes, long LastMinuteMedianBytes, double ChangePercent, bool Flagged);
