using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ledger.Node.Cli;
using Ledger.Node.Tests.Storage;
using Ledger.Node.Tests.Tls;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// Ordinary mistakes at the command line, each run through the real executable: one line on stderr naming what was
/// wrong and what to do, the documented exit code, and no stack trace (issue 23).
/// </summary>
public sealed class CliFailureTests : IDisposable
{
    private const string CertId = "cn-ccpit/CCPIT-XJ-2025-00417";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_misspelt_command_is_one_line_with_did_you_mean()
    {
        var run = await CliRun.ExecuteAsync(["cert", "isue"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "'isue'", "did you mean 'issue'?", "ledger cert --help");
    }

    [Fact]
    public async Task A_misspelt_option_is_one_line_with_did_you_mean()
    {
        var run = await CliRun.ExecuteAsync(["init", "--validatros", "3", "--out", Path.Combine(_folder.Path, "net")]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "'--validatros'", "did you mean '--validators'?");
    }

    [Theory]
    [InlineData("--validators", "0", "--validators 0 is outside 1 to 10")]
    [InlineData("--validators", "11", "--validators 11 is outside 1 to 10")]
    [InlineData("--base-port", "70000", "--base-port 70000 is outside 1 to 65532")]
    [InlineData("--base-port", "65533", "--base-port 65533 is outside 1 to 65532")]
    public async Task Init_refuses_an_argument_out_of_range_and_writes_nothing(string option, string value, string said)
    {
        var folder = Path.Combine(_folder.Path, "net");

        var run = await CliRun.ExecuteAsync(["init", "--out", folder, option, value]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, said);
        Directory.Exists(folder).Should().BeFalse("a network is written whole or not at all");
    }

    [Fact]
    public async Task Init_never_writes_into_a_folder_that_holds_something()
    {
        var folder = Path.Combine(_folder.Path, "net");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "mine");

        var run = await CliRun.ExecuteAsync(["init", "--out", folder]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, folder, "not empty", "never overwrites");
        Directory.EnumerateFileSystemEntries(folder).Should().ContainSingle();
    }

    [Fact]
    public async Task Init_into_a_folder_that_cannot_be_written_names_it()
    {
        // procfs refuses new entries even to root, which the tests may run as.
        var run = await CliRun.ExecuteAsync(["init", "--out", "/proc/ledger-init-test"]);

        run.ShouldFailInOneLine(ExitCodes.BadInput, "--out '/proc/ledger-init-test' cannot be written");
    }

    [Fact]
    public async Task An_address_where_nothing_listens_exits_3_naming_the_address_and_the_reason()
    {
        var address = $"http://127.0.0.1:{FreePort()}";

        var run = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", address]);

        run.ShouldFailInOneLine(ExitCodes.Unavailable, "no node could be reached", address, "connection refused");
        run.Error.Should().NotContain("Status(").And.NotContain("StatusCode");
    }

    [Fact]
    public async Task A_failure_with_json_is_one_json_object_on_stdout_and_one_line_on_stderr()
    {
        var run = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", $"http://127.0.0.1:{FreePort()}", "--json"]);

        run.ShouldFailInOneLine(ExitCodes.Unavailable, "no node could be reached");
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("ok").GetBoolean().Should().BeFalse();
        json.RootElement.GetProperty("exitCode").GetInt32().Should().Be(ExitCodes.Unavailable);
        json.RootElement.GetProperty("code").GetString().Should().Be("UNAVAILABLE");
    }

    [Fact]
    public async Task An_http2_server_that_is_not_a_ledger_node_exits_3_as_not_a_ledger_node()
    {
        await using var server = await LocalServer.StartAsync();

        var run = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", server.Address]);

        run.ShouldFailInOneLine(ExitCodes.Unavailable, $"{server.Address}: not a ledger node: it answered Unimplemented", "404", "check --node");
        run.Error.Should().NotContain("refused");
    }

    [Fact]
    public async Task An_untrusted_tls_certificate_says_to_give_the_ca()
    {
        using var certificates = new TestCertificates(Path.Combine(_folder.Path, "tls"), "Test Network CA");
        await using var server = await LocalServer.StartAsync(certificates.IssueNode("node-1"));

        var untrusted = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", server.Address]);
        var trusted = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", server.Address, "--ca", certificates.CaFile]);

        untrusted.ShouldFailInOneLine(ExitCodes.Unavailable, $"{server.Address}: TLS certificate not trusted (signed by a CA this client does not trust)", "give --ca FILE");
        // With the CA the handshake passes, and what is left is the truth: this server is no ledger node.
        trusted.ShouldFailInOneLine(ExitCodes.Unavailable, "not a ledger node");
    }

    [Fact]
    public async Task A_tls_certificate_from_another_ca_than_the_one_given_is_named_so()
    {
        using var certificates = new TestCertificates(Path.Combine(_folder.Path, "tls"), "Test Network CA");
        using var other = new TestCertificates(Path.Combine(_folder.Path, "other"), "Another CA");
        await using var server = await LocalServer.StartAsync(certificates.IssueNode("node-1"));

        var run = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", server.Address, "--ca", other.CaFile]);

        run.ShouldFailInOneLine(ExitCodes.Unavailable, $"{server.Address}: TLS certificate not trusted (not signed by the CA given)");
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_after_the_one_line()
    {
        var run = await CliRun.ExecuteAsync(["cert", "show", CertId, "--node", $"http://127.0.0.1:{FreePort()}", "--verbose"]);

        run.ExitCode.Should().Be(ExitCodes.Unavailable, run.ToString());
        run.ErrorLines[0].Should().StartWith("no node could be reached");
        run.Error.Should().Contain("LedgerUnavailableException").And.Contain("   at ");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
