using System.Globalization;

namespace Ledger.Node.Bench;

/// <summary>
/// Runtime counters of a node since it started, as its Prometheus endpoint exports .NET's "System.Runtime" meter: bytes
/// allocated on the GC heap and time its threads were paused for collections. Two readings, before and after a measured
/// window, give what the window cost; summed over the nodes, a transaction's share.
/// </summary>
public sealed record NodeRuntimeCounters(double AllocatedBytes, double GcPauseSeconds)
{
    public const string AllocatedMetric = "dotnet_gc_heap_total_allocated_bytes_total";
    public const string GcPauseMetric = "dotnet_gc_pause_time_seconds_total";

    public static NodeRuntimeCounters Zero { get; } = new(0, 0);

    public static NodeRuntimeCounters operator +(NodeRuntimeCounters a, NodeRuntimeCounters b) =>
        new(a.AllocatedBytes + b.AllocatedBytes, a.GcPauseSeconds + b.GcPauseSeconds);

    public static NodeRuntimeCounters operator -(NodeRuntimeCounters a, NodeRuntimeCounters b) =>
        new(a.AllocatedBytes - b.AllocatedBytes, a.GcPauseSeconds - b.GcPauseSeconds);

    /// <summary>The two counters in a Prometheus text exposition, each summed over its series; 0 for one not there.</summary>
    public static NodeRuntimeCounters Parse(string exposition)
    {
        double allocated = 0, paused = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (Value(line, AllocatedMetric) is { } a)
            {
                allocated += a;
            }
            else if (Value(line, GcPauseMetric) is { } p)
            {
                paused += p;
            }
        }
        return new NodeRuntimeCounters(allocated, paused);
    }

    /// <summary>The nodes' counters summed; a node that does not answer (it died: the run is failed anyway) counts nothing.</summary>
    public static async Task<NodeRuntimeCounters> ReadAsync(HttpClient http, IEnumerable<string> metricsUrls, CancellationToken ct)
    {
        var readings = await Task.WhenAll(metricsUrls.Select(async url =>
        {
            try
            {
                return Parse(await http.GetStringAsync(url, ct));
            }
            catch (HttpRequestException)
            {
                return Zero;
            }
        }));
        return readings.Aggregate(Zero, (sum, r) => sum + r);
    }

    /// <summary>The sample's value when the line is a sample of <paramref name="metric"/> ("name{labels} value [timestamp]").</summary>
    private static double? Value(string line, string metric)
    {
        if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length)
        {
            return null;
        }
        var rest = line[metric.Length] switch
        {
            ' ' => line[metric.Length..],
            // Label values may hold spaces: the value follows the last closing brace.
            '{' => line[(line.LastIndexOf('}') + 1)..],
            _ => null,
        };
        var token = rest?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return token is not null && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
