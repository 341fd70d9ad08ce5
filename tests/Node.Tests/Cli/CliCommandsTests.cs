using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ledger.Client.Audit;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.Cli;

[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class CliCommandsTests : IClassFixture<CliNetworkFixture>
{
    private const string CertId = "cn-ccpit/CCPIT-XJ-2025-00417";
    private const string ConsignmentId = "CIM-SMGS-2025-00417";
    private readonly CliNetworkFixture _fixture;

    public CliCommandsTests(CliNetworkFixture fixture) => _fixture = fixture;

    private string[] Network => ["--node", _fixture.Network.Endpoints[0], "--node", _fixture.Network.Endpoints[1], "--genesis", _fixture.Network.GenesisPath];

    private string[] Key(string organisation) => ["--key", _fixture.Network.MemberKey(organisation)];

    private static Task<CliRun> Run(params string[][] parts) => CliRun.InvokeAsync([.. parts.SelectMany(p => p)]);

    private static Task<CliRun> Execute(params string[][] parts) => CliRun.ExecuteAsync([.. parts.SelectMany(p => p)]);

    [Fact]
    public async Task A_certificate_goes_from_issue_through_verification_and_its_route_to_a_refused_revocation()
    {
        // A key nobody registered signs nothing the ledger accepts.
        var strangerKey = Path.Combine(_fixture.Folder, "stranger.key.json");
        (await Run(["keys", "new", "--plain", "--organisation", CnChamber, "--out", strangerKey])).ExitCode.Should().Be(ExitCodes.Ok);
        var stranger = await Run(["cert", "issue", "--file", CliNetworkFixture.Example("certificate.json"), "--key", strangerKey], Network);
        stranger.ExitCode.Should().Be(ExitCodes.Refused, stranger.ToString());
        stranger.Error.Should().Contain("refused SIGNER_UNKNOWN");

        var issued = await Run(["cert", "issue", "--file", CliNetworkFixture.Example("certificate.json"), "--json"], Key(CnChamber), Network);
        issued.ExitCode.Should().Be(ExitCodes.Ok, issued.ToString());
        using (var json = JsonDocument.Parse(issued.Output))
        {
            json.RootElement.GetProperty("certificateId").GetString().Should().Be(CertId);
            json.RootElement.GetProperty("height").GetUInt64().Should().BeGreaterThan(0);
            json.RootElement.GetProperty("txId").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        }

        var anonymousShow = await Run(["cert", "show", CertId], Network);
        anonymousShow.ExitCode.Should().Be(ExitCodes.Refused, anonymousShow.ToString());
        anonymousShow.Error.Should().Contain("refused IDENTITY_REQUIRED").And.Contain("give --key FILE");
        anonymousShow.Output.Should().NotContain("Cotton yarn");
        var shown = await Run(["cert", "show", CertId], Key(KzCustoms), Network);
        shown.ExitCode.Should().Be(ExitCodes.Ok, shown.ToString());
        shown.Output.Should().Contain("status: Issued").And.Contain("Cotton yarn").And.Contain("proven against block");
        var shownJson = await Run(["cert", "show", CertId, "--json"], Key(KzCustoms), Network);
        using (var json = JsonDocument.Parse(shownJson.Output))
        {
            json.RootElement.GetProperty("trust").GetString().Should().Be("proven");
            json.RootElement.GetProperty("record").GetProperty("certificate").GetProperty("number").GetString().Should().Be("CCPIT-XJ-2025-00417");
        }

        var matching = await Run(["cert", "verify", CertId, "--document", CliNetworkFixture.Example("certificate-document.txt")], Network);
        matching.ExitCode.Should().Be(ExitCodes.Ok, matching.ToString());
        matching.Output.Should().Contain("accepted").And.Contain("content hash match").And.Contain("proven against block");
        var other = await Run(["cert", "verify", CertId, "--document", CliNetworkFixture.Example("event.json")], Network);
        other.ExitCode.Should().Be(ExitCodes.Refused, other.ToString());
        other.Output.Should().Contain("content hash MISMATCH");
        var unproven = await Run(["cert", "verify", CertId, "--node", _fixture.Network.Endpoints[2]]);
        unproven.ExitCode.Should().Be(ExitCodes.Ok, unproven.ToString());
        unproven.Output.Should().Contain("not proven: no genesis given");
        unproven.Error.Should().Contain($"chain id '{LocalNetwork.DefaultChainId}' taken from the node");

        var declared = await Run(["route", "declare", "--file", CliNetworkFixture.Example("consignment.json")], Key(CnCustoms), Network);
        declared.ExitCode.Should().Be(ExitCodes.Ok, declared.ToString());
        var recorded = await Execute(["route", "record", "--file", CliNetworkFixture.Example("event.json"), "--json"], Key(PostUrumqi), Network);
        recorded.ExitCode.Should().Be(ExitCodes.Ok, recorded.ToString());
        using (var json = JsonDocument.Parse(recorded.Output))
        {
            json.RootElement.GetProperty("action").GetString().Should().Be("recorded Departure at CN-URUMQI");
            json.RootElement.GetProperty("consignmentId").GetString().Should().Be(ConsignmentId);
        }
        var anonymous = await Run(["route", "show", ConsignmentId], Network);
        anonymous.ExitCode.Should().Be(ExitCodes.Refused, anonymous.ToString());
        anonymous.Error.Should().Contain("refused IDENTITY_REQUIRED").And.Contain("give --key FILE");
        var route = await Run(["route", "show", ConsignmentId, "--json"], Key(KzCustoms), Network);
        route.ExitCode.Should().Be(ExitCodes.Ok, route.ToString());
        using (var json = JsonDocument.Parse(route.Output))
        {
            json.RootElement.GetProperty("verdict").GetProperty("verdict").GetString().Should().Be("InTransit");
            json.RootElement.GetProperty("trust").GetString().Should().Be("proven");
            json.RootElement.GetProperty("record").GetProperty("events").GetArrayLength().Should().Be(1);
        }
        var routeText = await Run(["route", "show", ConsignmentId], Key(KzCustoms), Network);
        routeText.Output.Should().Contain("in transit").And.Contain("Departure");

        var used = await Run(["cert", "use", CertId, "--declaration", "KZ-DT-2025-0091", "--line", "1=20000"], Key(KzCustoms), Network);
        used.ExitCode.Should().Be(ExitCodes.Ok, used.ToString());
        // The clerk typed kilograms: the refusal speaks kilograms, not the wire's thousandths (issue 23).
        var overUsed = await Execute(["cert", "use", CertId, "--declaration", "KZ-DT-2025-0092", "--line", "1=6000"], Key(KzCustoms), Network);
        overUsed.ShouldFailInOneLine(ExitCodes.Refused, "refused USE_EXCEEDS_BALANCE: line 1: use of 6000 KGM exceeds the remaining 5000 KGM");
        overUsed.Error.Should().NotContain("thousandths");
        var revoked = await Execute(["cert", "revoke", CertId, "--reason", "issued in error"], Key(CnChamber), Network);
        revoked.ShouldFailInOneLine(ExitCodes.Refused, "refused CERT_ALREADY_USED: ");
        revoked.Error.Should().NotContain("CERT_ALREADY_USED: CERT_ALREADY_USED");
    }

    [Fact]
    public async Task A_refusal_names_its_code_once()
    {
        // Customs may not issue certificates: refused before the transaction enters a block, the code in the node's trailer and detail.
        var run = await Execute(["cert", "issue", "--file", CliNetworkFixture.Example("certificate.json")], Key(KzCustoms), Network);

        run.ShouldFailInOneLine(ExitCodes.Refused, "refused ROLE_NOT_ALLOWED: ");
        run.Error.Should().NotContain("ROLE_NOT_ALLOWED: ROLE_NOT_ALLOWED");
    }

    [Fact]
    public async Task Malformed_files_and_command_lines_exit_2_and_name_the_file()
    {
        var typo = Path.Combine(_fixture.Folder, "typo.json");
        await File.WriteAllTextAsync(typo, """{ "number": "T-1", "expotrCountry": "CN" }""");
        var misspelt = await Run(["cert", "issue", "--file", typo], Key(CnChamber), Network);
        misspelt.ExitCode.Should().Be(ExitCodes.BadInput, misspelt.ToString());
        misspelt.Error.Should().Contain(typo).And.Contain("expotrCountry");

        var truncated = Path.Combine(_fixture.Folder, "truncated.json");
        await File.WriteAllTextAsync(truncated, """{ "consignmentId": """);
        var broken = await Run(["route", "declare", "--file", truncated], Key(CnCustoms), Network);
        broken.ExitCode.Should().Be(ExitCodes.BadInput, broken.ToString());
        broken.Error.Should().Contain(truncated);

        var missingOption = await Run(["cert", "issue"], Network);
        missingOption.ExitCode.Should().Be(ExitCodes.BadInput, missingOption.ToString());
        missingOption.Error.Should().Contain("--file");

        var badLine = await Run(["cert", "use", CertId, "--declaration", "D-1", "--line", "one=5"], Key(KzCustoms), Network);
        badLine.ExitCode.Should().Be(ExitCodes.BadInput, badLine.ToString());
        badLine.Error.Should().Contain("ITEM=QUANTITY");
    }

    [Fact]
    public async Task An_unreachable_node_exits_3()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await Run(["cert", "show", CertId, "--node", $"http://127.0.0.1:{port}", "--genesis", _fixture.Network.GenesisPath]);

        run.ExitCode.Should().Be(ExitCodes.Unavailable, run.ToString());
        run.Error.Should().Contain("no node could be reached");
    }

    [Fact]
    public async Task An_audit_without_a_key_is_refused_in_one_line_naming_the_option()
    {
        // CLI.md's own example without --key: a block stream refused IDENTITY_REQUIRED printed a 25-line stack trace.
        var run = await Run(["audit", "--checkpoint", Path.Combine(_fixture.Folder, "no-key.checkpoint")], Network);

        run.ExitCode.Should().Be(ExitCodes.Refused, run.ToString());
        run.Error.Should().Contain("refused IDENTITY_REQUIRED").And.Contain("--key").And.NotContain("Exception").And.NotContain("   at ");
    }

    [Fact]
    public async Task The_audit_is_clean_saves_its_checkpoint_and_a_second_audit_resumes_from_it()
    {
        var checkpoint = Path.Combine(_fixture.Folder, "audit.checkpoint");
        var first = await Run(["audit", "--checkpoint", checkpoint], Key(KzCustoms), Network);
        first.ExitCode.Should().Be(ExitCodes.Ok, first.ToString());
        first.Output.Should().Contain("clean: no discrepancy").And.Contain("from genesis").And.Contain("checkpoint: saved at height");
        File.Exists(checkpoint).Should().BeTrue();
        var savedAt = AuditCheckpoint.Load(checkpoint).Height;
        savedAt.Should().BeGreaterThan(0);

        // The validators commit a block every second or so, with or without transactions.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = await Run(["audit", "--checkpoint", checkpoint, "--json"], Key(KzCustoms), Network);
        second.ExitCode.Should().Be(ExitCodes.Ok, second.ToString());
        second.Error.Should().Contain($"resuming from the checkpoint at height {savedAt}");
        using var json = JsonDocument.Parse(second.Output);
        json.RootElement.GetProperty("clean").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("resumedFromHeight").GetUInt64().Should().Be(savedAt);
        json.RootElement.GetProperty("fromHeight").GetUInt64().Should().Be(savedAt + 1);
        json.RootElement.GetProperty("checkpoint").GetProperty("height").GetUInt64().Should().BeGreaterThan(savedAt);
    }
}
