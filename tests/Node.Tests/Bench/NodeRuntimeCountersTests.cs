using Ledger.Node.Bench;

namespace Ledger.Node.Tests.Bench;

public sealed class NodeRuntimeCountersTests
{
    // As a node's /metrics answers (OpenTelemetry's Prometheus exporter, .NET 10's System.Runtime meter), trimmed.
    private const string Exposition = """
        # TYPE dotnet_gc_collections_total counter
        dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 4
        # TYPE dotnet_gc_heap_total_allocated_bytes_total counter
        dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 410293480
        # TYPE dotnet_gc_pause_time_seconds_total counter
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.434629
        dotnet_gc_pause_time_seconds_total_other 99
        """;

    [Fact]
    public void The_allocated_bytes_and_the_gc_pause_are_read_from_their_samples_and_no_other()
    {
        NodeRuntimeCounters.Parse(Exposition).Should().Be(new NodeRuntimeCounters(410_293_480, 0.434629));
    }

    [Fact]
    public void Series_of_one_counter_are_summed_and_a_label_value_with_spaces_does_not_hide_the_value()
    {
        var text = "dotnet_gc_heap_total_allocated_bytes_total{a=\"one two\"} 1e3 1733630000000\n"
            + "dotnet_gc_heap_total_allocated_bytes_total{a=\"x\"} 24\n"
            + "dotnet_gc_pause_time_seconds_total 0.5\n";

        NodeRuntimeCounters.Parse(text).Should().Be(new NodeRuntimeCounters(1_024, 0.5));
    }

    [Fact]
    public void A_window_is_the_difference_of_two_readings_and_missing_counters_read_as_zero()
    {
        (new NodeRuntimeCounters(3_000, 1.5) - new NodeRuntimeCounters(1_000, 0.5)).Should().Be(new NodeRuntimeCounters(2_000, 1));
        NodeRuntimeCounters.Parse("# nothing exported\n").Should().Be(NodeRuntimeCounters.Zero);
    }
}
