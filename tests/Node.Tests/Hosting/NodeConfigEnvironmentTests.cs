using Ledger.Node.Hosting;
using Ledger.Node.Tests.Storage;

namespace Ledger.Node.Tests.Hosting;

/// <summary>
/// Sets LEDGER_ variables in the test process: in the processes collection, so that no node process is
/// started meanwhile and inherits them.
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class NodeConfigEnvironmentTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<string> _set = [];

    public void Dispose()
    {
        foreach (var name in _set)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        _folder.Dispose();
    }

    [Fact]
    public void The_command_line_wins_over_the_environment_which_wins_over_the_file()
    {
        var path = NodeConfigFiles.Write(_folder);
        Set("LEDGER_Mempool__TransactionsMax", "7");
        Set("LEDGER_Mempool__BytesMax", "1000");

        var config = NodeConfig.Load(path, ConfigOverrides.Read(["Mempool:TransactionsMax=9"]));

        config.Mempool.Should().Be(new MempoolConfig(TransactionsMax: 9, BytesMax: 1000));
    }

    [Fact]
    public void A_bad_environment_value_is_an_error_naming_the_variable()
    {
        var path = NodeConfigFiles.Write(_folder);
        Set("LEDGER_Consensus__ProposeBaseMs", "soon");

        var load = () => NodeConfig.Load(path, ConfigOverrides.Read([]));

        load.Should().Throw<InvalidDataException>().WithMessage("*environment variable LEDGER_Consensus__ProposeBaseMs*");
    }

    [Fact]
    public void A_LEDGER_variable_naming_no_setting_is_ignored_and_reported()
    {
        Set("LEDGER_SOMETOOL_OPTION", "1");

        var overrides = ConfigOverrides.Read([]);

        overrides.IgnoredEnvironment.Should().Contain("LEDGER_SOMETOOL_OPTION");
        NodeConfig.Load(NodeConfigFiles.Write(_folder), overrides).NodeId.Should().Be("validator-1");
    }

    private void Set(string name, string value)
    {
        _set.Add(name);
        Environment.SetEnvironmentVariable(name, value);
    }
}
