namespace Ledger.Node.Bench;

/// <summary>Percentiles of a set of latencies, nearest-rank.</summary>
public sealed record LatencyStats(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static LatencyStats Of(IReadOnlyCollection<double> latenciesMs)
    {
        if (latenciesMs.Count == 0)
        {
            return new LatencyStats(0, 0, 0, 0, 0);
        }
        var sorted = latenciesMs.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencyStats(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}
