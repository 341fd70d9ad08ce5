namespace Ledger.Node.Bench;

/// <summary>
/// One node's median resident memory over the last third of the soak against the middle third. The first third is
/// left out: caches fill while the ledger grows into them, which is warm-up, not a leak. Flagged above
/// <see cref="FlagPercent"/>. Kills make each node's memory a sawtooth; a third spans several of its lives.
/// </summary>
public sealed record SoakMemoryGrowth(int Node, long MiddleThirdMedianBytes, long LastThirdMedianBytes, double ChangePercent, bool Flagged)
{
    public const double FlagPercent = 20;

    /// <summary>One entry per node with samples in both the middle and the last third of the run.</summary>
    public static IReadOnlyList<SoakMemoryGrowth> Of(IReadOnlyCollection<(double Seconds, int Node, long Bytes)> samples)
    {
        if (samples.Count == 0)
        {
            return [];
        }
        var end = samples.Max(s => s.Seconds);
        return samples.GroupBy(s => s.Node)
            .OrderBy(g => g.Key)
            .Select(g => (Node: g.Key,
                Middle: Median(g.Where(s => s.Seconds >= end / 3 && s.Seconds < end * 2 / 3)),
                Last: Median(g.Where(s => s.Seconds >= end * 2 / 3))))
            .Where(n => n.Middle > 0 && n.Last > 0)
            .Select(n =>
            {
                var change = (n.Last - n.Middle) * 100.0 / n.Middle;
                return new SoakMemoryGrowth(n.Node, n.Middle, n.Last, change, change > FlagPercent);
            })
            .ToArray();
    }

    private static long Median(IEnumerable<(double Seconds, int Node, long Bytes)> samples)
    {
        var sorted = samples.Select(s => s.Bytes).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
