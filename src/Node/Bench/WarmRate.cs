namespace Ledger.Node.Bench;

/// <summary>
/// A rate measured in one-second windows on one core: the first window, while the process and its caches are
/// still cold, and the windows after a warm-up, whose median is the rate to use (a busy machine slows some
/// windows; the median ignores the few it slows most).
/// </summary>
/// <param name="FirstSecondPerSecond">The first window, before any warm-up: what `bench commit` reported as its reference until issue 25.</param>
/// <param name="WarmWindowsPerSecond">Each window after the warm-up, in the order measured.</param>
public sealed record WarmRate(double FirstSecondPerSecond, IReadOnlyList<double> WarmWindowsPerSecond)
{
    /// <summary>The median of the warm windows.</summary>
    public double MedianPerSecond => MedianOf(WarmWindowsPerSecond);

    /// <summary>The middle value, or the mean of the two middle ones for an even count; 0 for none.</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
