using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Ledger.Node.Telemetry;

/// <summary>
/// Registers the node's meter and, when a metrics address is configured, exports it in Prometheus format on that port only,
/// with the runtime's own meter beside it (allocated bytes, GC pauses and collections, CPU time, thread pool).
/// </summary>
public static class MetricsExport
{
    /// <summary>The meter .NET publishes its runtime counters on (dotnet.gc.heap.total_allocated and the others).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static void AddNodeMetrics(this IServiceCollection services, string nodeId, IPEndPoint? endpoint)
    {
        services.AddMetrics();
        services.AddSingleton<NodeMetrics>();
        if (endpoint is null)
        {
            return;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ledger-node", serviceInstanceId: nodeId))
            .WithMetrics(m => m
                .AddMeter(NodeMetrics.MeterName, RuntimeMeterName)
                .AddView(NodeMetrics.CommitLatency, new ExplicitBucketHistogramConfiguration { Boundaries = NodeMetrics.CommitLatencyBucketsSeconds })
                .AddPrometheusExporter());
    }

    public static void MapNodeMetrics(this WebApplication app, IPEndPoint? endpoint)
    {
        if (endpoint is not null)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Connection.LocalPort == endpoint.Port && c.Request.Path == "/metrics");
        }
    }
}
