using System.Diagnostics;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Network;
using Ledger.Node.Tests.Storage;
using Ledger.Node.Tests.Tls;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// `ledger node` with a configuration an operator can get wrong, run as the real executable on a one-validator network
/// as `ledger init` writes it: the node refuses to start in one line naming each problem with its key, exit 2, before
/// it opens anything (issue 23).
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class NodeConfigFailureTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    private string Config => NetworkLayout.NodeConfigPath(_folder.Path, 0);

    public async Task InitializeAsync() => await NetworkLayout.WriteAsync(_folder.Path, 1, 7101, LocalNetwork.DefaultChainId, CancellationToken.None);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("Listen=http://0.0.0.0:7201", "Listen: 'http://0.0.0.0:7201'", "loopback address only", "add \"tls\"")]
    [InlineData("Listen=127.0.0.1:7201", "Listen: '127.0.0.1:7201' is not of the form http://<IP address>:<port>", "write e.g. http://127.0.0.1:7101")]
    [InlineData("Listen=http://ledger.example:7201", "Listen: 'http://ledger.example:7201' is not of the form http://<IP address>:<port>")]
    [InlineData("GenesisFile=missing.json", "GenesisFile: '", "missing.json' does not exist", "give the network's genesis.json")]
    [InlineData("ValidatorKeyFile=missing.key.json", "ValidatorKeyFile: '", "missing.key.json' does not exist", "read replica")]
    [InlineData("Mempool:TransactionMax=100", "unknown setting 'Mempool:TransactionMax'", "did you mean 'Mempool:TransactionsMax'?")]
    [InlineData("Consensus:ProposeBaseMs=0", "Consensus:ProposeBaseMs: 0 must be positive")]
    public async Task A_bad_setting_stops_the_node_in_one_line_naming_its_key(string setting, params string[] facts)
    {
        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", setting]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, [$"node config '{Config}'", .. facts]);
        Directory.Exists(NetworkLayout.NodeDataFolder(_folder.Path, 0)).Should().BeFalse("nothing is opened before the configuration is valid");
    }

    [Fact]
    public async Task A_peer_at_no_roster_position_is_refused()
    {
        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", "Peers:0:ValidatorIndex=64", "--set", "Peers:0:Endpoint=http://127.0.0.1:7102"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "Peers:0:ValidatorIndex: 64 is no validator position (0 to 63)", "the genesis names 1, at 0 to 0");
    }

    [Fact]
    public async Task A_key_that_is_no_validator_of_the_network_is_named_with_what_to_do_if_it_is_joining()
    {
        var memberKey = NetworkLayout.MemberKeyPath(_folder.Path, Devnet.CorridorGenesis.CnChamber);

        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", $"ValidatorKeyFile={memberKey}"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, memberKey, "is not a validator key of this network", "set JoiningValidator: true");
    }

    [Fact]
    public async Task A_peer_that_is_the_node_itself_is_refused()
    {
        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", "Peers:0:ValidatorIndex=0", "--set", "Peers:0:Endpoint=http://127.0.0.1:7102"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "Peers:0:ValidatorIndex: 0 is this node's own index");
        Directory.Exists(NetworkLayout.NodeDataFolder(_folder.Path, 0)).Should().BeFalse();
    }

    [Fact]
    public async Task A_port_taken_by_another_process_is_named_in_one_line()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var port = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;

        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", $"Listen=http://127.0.0.1:{port}"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, $"Listen: 127.0.0.1:{port} is in use by another process");
        run.Output.Should().NotContain("   at ", "the host must not log the failure with its stack trace either");
    }

    [Fact]
    public async Task Every_problem_is_named_at_once()
    {
        var run = await CliRun.ExecuteAsync(["node", "--config", Config,
            "--set", "Listen=https://127.0.0.1:7201", "--set", "Tls:CertificateFile=node.pem", "--set", "GenesisFile=missing.json", "--set", "Mempool:BytesMax=-1"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "GenesisFile: ", "Tls:CertificateFile: '", "node.pem' does not exist", "Tls:KeyFile: missing", "Mempool:BytesMax: -1 must be positive");
    }

    [Fact]
    public async Task Swapped_tls_pem_files_are_named_as_such()
    {
        using var certificates = new TestCertificates(Path.Combine(_folder.Path, "tls"), "Test Network CA");
        var tls = certificates.IssueNode("node-1");

        var run = await CliRun.ExecuteAsync(["node", "--config", Config, "--set", "Listen=https://127.0.0.1:7201",
            "--set", $"Tls:CertificateFile={tls.KeyFile}", "--set", $"Tls:KeyFile={tls.CertificateFile}", "--set", $"Tls:CaFile={tls.CaFile}"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "Tls: the certificate", "do not load as a pair", "swapped");
    }

    [Fact]
    public async Task The_command_line_s_own_variables_are_not_reported_as_ignored_by_a_node()
    {
        var port = FreePorts.FindRange(1);
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { NodeProcess.LedgerDll, "node", "--config", Config, "--set", $"Listen=http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(argument);
        }
        // As docs/CLI.md has a person export them in the shell a node may be started from; and one of another tool.
        info.Environment[CommonOptions.NodeVariable] = $"http://127.0.0.1:{port}";
        info.Environment[CommonOptions.GenesisVariable] = "genesis.json";
        info.Environment["LEDGER_SOMETOOL_OPTION"] = "1";
        using var node = Process.Start(info)!;
        var lines = new List<string>();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            // The warning is logged right after the line that says the node listens: read up to the line after it.
            while (await node.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
                if (lines.Any(l => l.Contains("listening on", StringComparison.Ordinal)) && line.Contains("Ignored environment variables", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }

        var warning = lines.Should().ContainSingle(l => l.Contains("Ignored environment variables", StringComparison.Ordinal), string.Join('\n', lines)).Which;
        warning.Should().Contain("LEDGER_SOMETOOL_OPTION").And.NotContain(CommonOptions.NodeVariable).And.NotContain(CommonOptions.GenesisVariable);
    }
}
