using Ledger.Node.Devnet;

namespace Ledger.Node.Tests.Hosting;

public sealed class NodeProcessEnvironmentTests
{
    [Fact]
    public void A_node_is_started_with_workstation_gc_under_a_heap_limit()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };

        NodeProcessEnvironment.Apply(environment);

        environment.Should().Contain("DOTNET_gcServer", "0").And.Contain("PATH", "/usr/bin").And.NotContainKey("DOTNET_GCConserveMemory");
        // The runtime reads GC sizes as hexadecimal: 0x18000000 bytes is 384 MiB.
        Convert.ToInt64(environment["DOTNET_GCHeapHardLimit"], 16).Should().Be(384L * 1024 * 1024);
    }

    [Fact]
    public void A_setting_the_caller_chose_is_kept()
    {
        var environment = new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCHeapHardLimit"] = "" };

        NodeProcessEnvironment.Apply(environment);

        environment["DOTNET_gcServer"].Should().Be("1");
        environment["DOTNET_GCHeapHardLimit"].Should().Be("0x18000000", "an empty variable is no choice");
    }
}
