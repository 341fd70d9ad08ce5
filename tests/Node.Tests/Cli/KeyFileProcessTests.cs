using System.Text.Json;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// Encrypted key files and the refusal of exposed ones, through the real executable: `keys new`, `keys encrypt`,
/// a client command that signs, and `ledger node`. A client command pointed at a closed port gets past its key
/// only if the key opened: then it ends unreachable (exit 3), not with bad input (exit 2).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class KeyFileProcessTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Directory.CreateTempSubdirectory("ledger-keyfiles-").FullName;
    private readonly int _port = FreePorts.FindRange(1);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Network => Path.Combine(_folder, "net");

    private string PassphraseFile(string text, UnixFileMode mode)
    {
        var path = Path.Combine(_folder, $"passphrase-{Guid.NewGuid():N}");
        File.WriteAllText(path, text + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private async Task InitAsync()
    {
        var init = await LedgerExecutable.RunAsync(["init", "--validators", "1", "--out", Network, "--base-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        init.ExitCode.Should().Be(ExitCodes.Ok, init.ToString());
    }

    // A command that signs with the key, to a port nobody listens on.
    private Task<CliRun> IssueWith(string key, string[] more, IReadOnlyDictionary<string, string>? environment = null) =>
        LedgerExecutable.RunAsync(
            ["cert", "issue", "--file", CliNetworkFixture.Example("certificate.json"), "--key", key, "--organisation", CnChamber,
                "--genesis", Path.Combine(Network, NetworkLayout.GenesisFile), "--node", $"http://127.0.0.1:{_port}", .. more],
            environment);

    [Fact]
    public async Task A_new_key_is_sealed_and_opens_only_with_its_passphrase()
    {
        await InitAsync();
        var key = Path.Combine(_folder, "chamber.key.json");
        var passphrase = PassphraseFile(Passphrase, OwnerOnly);

        var created = await LedgerExecutable.RunAsync(["keys", "new", "--organisation", CnChamber, "--out", key, "--passphrase-file", passphrase, "--json"]);

        created.ExitCode.Should().Be(ExitCodes.Ok, created.ToString());
        File.GetUnixFileMode(key).Should().Be(OwnerOnly);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(key)))
        {
            json.RootElement.TryGetProperty("privateKey", out _).Should().BeFalse("the private key must not be on disk in the clear");
            json.RootElement.GetProperty("encrypted").GetProperty("kdf").GetString().Should().Be("scrypt");
        }

        var wrong = await IssueWith(key, [], new Dictionary<string, string> { [KeyPassphrase.Variable] = "not the passphrase" });
        wrong.ExitCode.Should().Be(ExitCodes.BadInput, wrong.ToString());
        wrong.Error.Trim().Should().Be($"key file '{key}': the passphrase does not open it (a wrong passphrase, or the file was altered)");

        var none = await IssueWith(key, []);
        none.ExitCode.Should().Be(ExitCodes.BadInput, none.ToString());
        none.Error.Trim().Should().StartWith($"key file '{key}': is encrypted: give its passphrase with --passphrase-file FILE");

        var fromFile = await IssueWith(key, ["--passphrase-file", passphrase]);
        fromFile.ExitCode.Should().Be(ExitCodes.Unavailable, fromFile.ToString());
        var fromEnvironment = await IssueWith(key, [], new Dictionary<string, string> { [KeyPassphrase.Variable] = Passphrase });
        fromEnvironment.ExitCode.Should().Be(ExitCodes.Unavailable, fromEnvironment.ToString());
    }

    [Fact]
    public async Task A_key_file_others_can_read_is_refused_unless_allowed_and_then_named_in_a_warning()
    {
        await InitAsync();
        var key = Path.Combine(_folder, "plain.key.json");
        (await LedgerExecutable.RunAsync(["keys", "new", "--plain", "--organisation", CnChamber, "--out", key])).ExitCode.Should().Be(ExitCodes.Ok);
        File.SetUnixFileMode(key, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var refused = await IssueWith(key, []);
        var allowed = await IssueWith(key, ["--allow-insecure-key"]);

        refused.ExitCode.Should().Be(ExitCodes.BadInput, refused.ToString());
        refused.Error.Trim().Should().Be($"key file '{key}': has mode 0644: every user of this host can read or change it; chmod 600 it (or accept the risk with --allow-insecure-key)");
        allowed.ExitCode.Should().Be(ExitCodes.Unavailable, allowed.ToString());
        allowed.Error.Should().Contain($"warning: key file '{key}' has mode 0644");
    }

    [Fact]
    public async Task A_passphrase_file_others_can_read_is_refused()
    {
        await InitAsync();
        var key = Path.Combine(_folder, "chamber.key.json");
        var exposed = PassphraseFile(Passphrase, OwnerOnly | UnixFileMode.GroupRead);

        var created = await LedgerExecutable.RunAsync(["keys", "new", "--organisation", CnChamber, "--out", key, "--passphrase-file", exposed]);

        created.ExitCode.Should().Be(ExitCodes.BadInput, created.ToString());
        created.Error.Trim().Should().Be($"key file '{key}': its passphrase file '{exposed}' has mode 0640: its group can read or change it; chmod 600 it (or accept the risk with --allow-insecure-key)");
        File.Exists(key).Should().BeFalse();
    }

    [Fact]
    public async Task A_validator_runs_on_an_encrypted_key_only_with_its_passphrase_and_never_on_an_exposed_one()
    {
        await InitAsync();
        var nodeFolder = NetworkLayout.NodeFolder(Network, 0);
        var plainKey = Path.Combine(nodeFolder, NetworkLayout.ValidatorKeyFile);
        var sealedKey = Path.Combine(nodeFolder, "validator.sealed.json");
        var passphrase = PassphraseFile(Passphrase, OwnerOnly);
        var encrypted = await LedgerExecutable.RunAsync(["keys", "encrypt", "--key", plainKey, "--out", sealedKey, "--passphrase-file", passphrase]);
        encrypted.ExitCode.Should().Be(ExitCodes.Ok, encrypted.ToString());
        string[] node = ["node", "--config", NetworkLayout.NodeConfigPath(Network, 0), "--set", $"ValidatorKeyFile={sealedKey}"];

        var wrong = await LedgerExecutable.RunAsync(node, new Dictionary<string, string> { [KeyPassphrase.Variable] = "not the passphrase" });
        wrong.ExitCode.Should().Be(ExitCodes.BadInput, wrong.ToString());
        wrong.Error.Trim().Should().Be($"key file '{sealedKey}': the passphrase does not open it (a wrong passphrase, or the file was altered)");
        Directory.Exists(NetworkLayout.NodeDataFolder(Network, 0)).Should().BeFalse("a node whose key does not open must not touch its database");

        File.SetUnixFileMode(plainKey, OwnerOnly | UnixFileMode.GroupRead);
        var exposed = await LedgerExecutable.RunAsync(["node", "--config", NetworkLayout.NodeConfigPath(Network, 0)]);
        exposed.ExitCode.Should().Be(ExitCodes.BadInput, exposed.ToString());
        exposed.Error.Trim().Should().StartWith($"key file '{plainKey}': has mode 0640");

        using var running = LedgerExecutable.Start([.. node, "--passphrase-file", passphrase]);
        // Drained all along, so that the node never blocks writing to a full pipe.
        var error = running.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            while ((line = await running.StandardOutput.ReadLineAsync()) is not null && !line.Contains("listening on", StringComparison.Ordinal))
            {
            }
            if (line is null)
            {
                Assert.Fail($"the node ended before it said where it listens: {await error}");
            }
            line.Should().Contain("validator index 0");
        }
        finally
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }
    }
}
