using Ledger.Node.Hosting;
using Ledger.Node.Tests.Storage;

namespace Ledger.Node.Tests.Hosting;

public sealed class NodeConfigOverrideTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_file_without_overrides_reads_as_before_with_paths_relative_to_its_folder()
    {
        var path = NodeConfigFiles.Write(_folder);

        var config = NodeConfig.Load(path, Sets());

        config.Mempool!.TransactionsMax.Should().Be(50_000);
        config.DataDir.Should().Be(Path.Combine(_folder.Path, "node-1", "data"));
        config.GenesisFile.Should().Be(Path.Combine(_folder.Path, "genesis.json"));
    }

    [Fact]
    public void A_command_line_setting_overrides_the_file_and_keeps_the_rest()
    {
        var config = NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("Mempool:TransactionsMax=100000"));

        config.Mempool.Should().Be(new MempoolConfig(100_000, 134_217_728));
        config.NodeId.Should().Be("validator-1");
    }

    [Fact]
    public void A_setting_the_file_lacks_is_added_whatever_the_case_of_its_name()
    {
        var config = NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("block:transactionsMax=10", "Peers:1:ValidatorIndex=2", "Peers:1:Endpoint=http://127.0.0.1:7103"));

        config.Block!.TransactionsMax.Should().Be(10);
        config.Peers.Should().Equal(new PeerConfig(1, "http://127.0.0.1:7102"), new PeerConfig(2, "http://127.0.0.1:7103"));
    }

    [Fact]
    public void A_relative_path_given_on_the_command_line_is_relative_to_the_config_file()
    {
        var config = NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("DataDir=../elsewhere/data"));

        config.DataDir.Should().Be(Path.Combine(_folder.Path, "elsewhere", "data"));
    }

    [Fact]
    public void An_empty_value_removes_a_setting()
    {
        var config = NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("ValidatorKeyFile="));

        config.ValidatorKeyFile.Should().BeNull();
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_error_naming_the_key_and_where_it_was_set()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("Mempool:TransactionsMax=lots"));

        load.Should().Throw<InvalidDataException>().WithMessage("node config '*config.json': --set Mempool:TransactionsMax = 'lots' is refused: not a valid value for Mempool:TransactionsMax");
    }

    [Fact]
    public void A_misspelt_key_on_the_command_line_is_an_error_naming_it()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("Mempool:TransactionMax=1"));

        load.Should().Throw<InvalidDataException>().WithMessage("*TransactionMax*");
    }

    [Fact]
    public void A_misspelt_key_in_the_file_is_still_an_error_naming_it()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder, extra: ", \"mempol\": {}"), Sets());

        load.Should().Throw<InvalidDataException>().WithMessage("*mempol*");
    }

    [Fact]
    public void A_metrics_address_that_is_not_an_address_and_port_is_an_error_naming_the_key()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("Metrics:Listen=localhost"));

        load.Should().Throw<InvalidDataException>().WithMessage("node config '*config.json': Metrics:Listen 'localhost' is not an IP address and port*");
    }

    [Fact]
    public void A_set_without_a_value_is_refused()
    {
        var read = () => ConfigOverrides.Read(["Mempool:TransactionsMax"]);

        read.Should().Throw<InvalidDataException>().WithMessage("*Mempool:TransactionsMax*Section:Key=value*");
    }

    [Fact]
    public void A_key_into_a_plain_value_is_refused()
    {
        var load = () => NodeConfig.Load(NodeConfigFiles.Write(_folder), Sets("NodeId:Name=x"));

        load.Should().Throw<InvalidDataException>().WithMessage("*--set NodeId:Name*'NodeId' is a value*");
    }

    private static ConfigOverrides Sets(params string[] sets) =>
        new(ConfigOverrides.Read(sets).Settings.Where(s => s.Source.StartsWith("--set", StringComparison.Ordinal)).ToArray(), []);
}
