using Ledger.Node.Hosting;
using Ledger.Node.Tests.Storage;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Tests.Hosting;

public sealed class NodeLoggingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void By_default_the_node_logs_its_own_information_and_only_the_frameworks_warnings()
    {
        using var factory = LoggerFactory.Create(l => NodeLogging.Configure(l, null));

        factory.CreateLogger("Ledger.Node.Hosting.ConsensusHost").IsEnabled(LogLevel.Information).Should().BeTrue();
        factory.CreateLogger("Ledger.Node.Hosting.ConsensusHost").IsEnabled(LogLevel.Debug).Should().BeFalse();
        factory.CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Information).Should().BeFalse();
    }

    [Fact]
    public void The_request_diagnostics_category_is_off_so_that_requests_start_no_activity()
    {
        using var factory = LoggerFactory.Create(l => NodeLogging.Configure(l, null));

        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical).Should().BeFalse(
            "ASP.NET Core starts an Activity per request while this category is enabled at any level");
        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning).Should().BeTrue();
    }

    [Fact]
    public void A_level_per_category_from_the_command_line_wins_over_the_defaults()
    {
        var config = NodeConfig.Load(NodeConfigFiles.Write(_folder), new ConfigOverrides(
            [new("Logging:Format", "json", "--set"), new("Logging:LogLevel:Ledger.Node.Network", "Debug", "--set"), new("Logging:LogLevel:Microsoft", "Error", "--set")], []));

        using var factory = LoggerFactory.Create(l => NodeLogging.Configure(l, config.Logging));

        config.Logging!.Format.Should().Be("json");
        factory.CreateLogger("Ledger.Node.Network.PeerNetwork").IsEnabled(LogLevel.Debug).Should().BeTrue();
        factory.CreateLogger("Ledger.Node.Hosting.ConsensusHost").IsEnabled(LogLevel.Debug).Should().BeFalse();
        factory.CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Warning).Should().BeFalse();
    }

    [Fact]
    public void An_unknown_format_is_an_error_naming_the_key()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), new ConfigOverrides([new("Logging:Format", "xml", "--set")], []));

        load.Should().Throw<InvalidDataException>().WithMessage("*Logging:Format 'xml'*");
    }

    [Fact]
    public void An_unknown_level_is_an_error_naming_the_category()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), new ConfigOverrides([new("Logging:LogLevel:Default", "Loud", "--set")], []));

        load.Should().Throw<InvalidDataException>().WithMessage("*Logging:LogLevel:Default 'Loud'*");
    }
}
