using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using Ledger.Node.Tls;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// `ledger tls new` and `ledger status` through the real executable: a CA and node certificates that a node serves
/// TLS with, and a status that says whether that node serves, or exits 3 when nothing answers.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsAndStatusProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ledger-tls-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Tls => Path.Combine(_folder, "tls");

    [Fact]
    public async Task Tls_new_makes_a_ca_and_node_certificates_for_their_names_with_keys_for_their_owner_only()
    {
        var made = await LedgerExecutable.RunAsync(["tls", "new", "--out", Tls, "--node", "node-1=10.0.0.1,node-1.corridor.example", "--node", "node-2"]);
        var added = await LedgerExecutable.RunAsync(["tls", "new", "--out", Tls, "--node", "node-3"]);
        var again = await LedgerExecutable.RunAsync(["tls", "new", "--out", Tls, "--node", "node-2"]);

        made.ExitCode.Should().Be(ExitCodes.Ok, made.ToString());
        added.ExitCode.Should().Be(ExitCodes.Ok, added.ToString());
        added.Output.Should().Contain("Signed with the existing CA");
        again.ExitCode.Should().Be(ExitCodes.BadInput, again.ToString());
        again.Error.Trim().Should().Contain("exists already; refusing to overwrite");
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(Tls, NetworkCertificates.CaCertificateFile)));
        foreach (var (name, hosts) in new[] { ("node-1", new[] { "10.0.0.1", "node-1.corridor.example" }), ("node-2", ["node-2"]), ("node-3", ["node-3"]) })
        {
            using var node = X509Certificate2.CreateFromPemFile(Path.Combine(Tls, name + ".pem"), Path.Combine(Tls, name + ".key.pem"));
            node.HasPrivateKey.Should().BeTrue();
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.Build(node).Should().BeTrue($"{name} is signed by the network CA: {string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation))}");
            foreach (var host in hosts)
            {
                node.MatchesHostname(host).Should().BeTrue($"{name} is reached at {host}");
            }
            File.GetUnixFileMode(Path.Combine(Tls, name + ".key.pem")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.GetUnixFileMode(Path.Combine(Tls, NetworkCertificates.CaKeyFile)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_node_serves_tls_with_the_certificates_tls_new_made_and_status_reports_it_serving()
    {
        var port = FreePorts.FindRange(1);
        var network = Path.Combine(_folder, "net");
        (await LedgerExecutable.RunAsync(["init", "--validators", "1", "--out", network, "--base-port", $"{port}"])).ExitCode.Should().Be(ExitCodes.Ok);
        (await LedgerExecutable.RunAsync(["tls", "new", "--out", Tls, "--node", "node-1=127.0.0.1,localhost"])).ExitCode.Should().Be(ExitCodes.Ok);
        var endpoint = $"https://127.0.0.1:{port}";
        var caFile = Path.Combine(Tls, NetworkCertificates.CaCertificateFile);
        var tlsSettings = new Dictionary<string, string>
        {
            ["LEDGER_Listen"] = endpoint,
            ["LEDGER_Tls__CertificateFile"] = Path.Combine(Tls, "node-1.pem"),
            ["LEDGER_Tls__KeyFile"] = Path.Combine(Tls, "node-1.key.pem"),
            ["LEDGER_Tls__CaFile"] = caFile,
        };

        var nobody = await LedgerExecutable.RunAsync(["status", "--node", endpoint, "--ca", caFile]);
        nobody.ExitCode.Should().Be(ExitCodes.Unavailable, nobody.ToString());
        nobody.Error.Should().Contain("no node could be reached").And.NotContain("   at ");

        using var node = LedgerExecutable.Start(["node", "--config", NetworkLayout.NodeConfigPath(network, 0)], tlsSettings);
        var error = node.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            while ((line = await node.StandardOutput.ReadLineAsync()) is not null && !line.Contains("listening on", StringComparison.Ordinal))
            {
            }
            if (line is null)
            {
                Assert.Fail($"the node ended before it said where it listens: {await error}");
            }
            var status = await LedgerExecutable.RunAsync(["status", "--node", endpoint, "--ca", caFile, "--json"]);
            var human = await LedgerExecutable.RunAsync(["status", "--node", endpoint, "--ca", caFile]);

            status.ExitCode.Should().Be(ExitCodes.Ok, status.ToString());
            using var json = JsonDocument.Parse(status.Output);
            json.RootElement.GetProperty("health").GetString().Should().Be("serving");
            json.RootElement.GetProperty("validatorIndex").GetInt32().Should().Be(0);
            json.RootElement.GetProperty("chainId").GetString().Should().Be(LocalNetwork.DefaultChainId);
            human.ExitCode.Should().Be(ExitCodes.Ok, human.ToString());
            human.Output.Should().Contain("validator 0").And.Contain("serving").And.Contain("0 of 0 connected");
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }
}
