using Ledger.Node.Devnet;

namespace Ledger.Node.Tests.Hosting;

public sealed class NodeProcessEnvironmentTests
{
    [Fact]
    public void A_node_is_started_with_workstation_gc_under_a_heap_limit_and_a_background_gc_if_it_has_a_core_to_spare()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };

        NodeProcessEnvironment.Apply(environment, sharesCores: false);

        environment.Should().Contain("DOTNET_gcServer", "0").And.Contain("PATH", "/usr/bin")
            .And.NotContainKey("DOTNET_GCConserveMemory").And.NotContainKey("DOTNET_gcConcurrent");
        // The runtime reads GC sizes as hexadecimal: 0x18000000 bytes is 384 MiB.
        Convert.ToInt64(environment["DOTNET_GCHeapHardLimit"], 16).Should().Be(384L * 1024 * 1024);
    }

    [Fact]
    public void Nodes_that_keep_every_core_busy_between_them_collect_gen2_blocking()
    {
        var environment = new Dictionary<string, string?>();

        NodeProcessEnvironment.Apply(environment, NodeProcessEnvironment.SharesCores(Environment.ProcessorCount));

        environment.Should().Contain("DOTNET_gcConcurrent", "0").And.Contain("DOTNET_gcServer", "0");
        NodeProcessEnvironment.SharesCores(Environment.ProcessorCount - 1).Should().BeFalse();
    }

    [Fact]
    public void A_setting_the_caller_chose_is_kept()
    {
        var environment = new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCHeapHardLimit"] = "" };

        NodeProcessEnvironment.Apply(environment, sharesCores: true);

        environment["DOTNET_gcServer"].Should().Be("1");
        environment["DOTNET_GCHeapHardLimit"].Should().Be("0x18000000", "an empty variable is no choice");
    }
}
