namespace Ledger.Node.Bench;

/// <summary>One kill of the soak: which validator (1-based), when, and how long after its restart it reached the height the others had then.</summary>
/// <param name="CaughtUpAfterSeconds">Null when it did not come back before the end of the run.</param>
public sealed record SoakKill(int Node, double KilledAtSeconds, double RestartedAtSeconds, ulong HeightToReach, double? CaughtUpAfterSeconds);
