using System.Text.Json;
using Ledger.Client;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Node.Cli;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Wire;
using Microsoft.Extensions.Options;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// A verification request left unanswered past the network's deadline, on four node processes driven by the
/// `ledger` executable: the certificate is suspended with no transaction, the block stream carries the automatic
/// receipt, an audit replays it clean, and the issuer's late confirmation reinstates the certificate.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class VerificationDeadlineProcessTests : IAsyncLifetime
{
    private const string CertId = "cn-ccpit/CCPIT-XJ-2025-00417";
    private const string ConsignmentId = "CIM-SMGS-2025-00417";
    // Blocks come about every second, with or without transactions: a few of them pass the deadline.
    private const long DeadlineMs = 4_000;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-deadline-" + Guid.NewGuid().ToString("N"));
    private DemoNetwork? _network;

    public async Task InitializeAsync()
    {
        var spec = CorridorGenesis.Create(LocalNetwork.DefaultChainId, DateTimeOffset.UtcNow.AddDays(-30), 4);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _network = await DemoNetwork.StartAsync(_folder, spec with { Document = spec.Document with { VerificationDeadlineMs = DeadlineMs } }, null, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private string[] Network => ["--node", _network!.Endpoints[0], "--node", _network.Endpoints[1], "--genesis", _network.GenesisPath];

    private string[] Key(string organisation) => ["--key", _network!.MemberKey(organisation)];

    private static Task<CliRun> Execute(params string[][] parts) => CliRun.ExecuteAsync([.. parts.SelectMany(p => p)]);

    [Fact]
    public async Task An_unanswered_request_suspends_the_certificate_at_its_deadline_and_a_late_confirmation_reinstates_it()
    {
        var issued = await Execute(["cert", "issue", "--file", CliNetworkFixture.Example("certificate.json")], Key(CnChamber), Network);
        issued.ExitCode.Should().Be(ExitCodes.Ok, issued.ToString());
        var declared = await Execute(["route", "declare", "--file", CliNetworkFixture.Example("consignment.json")], Key(CnCustoms), Network);
        declared.ExitCode.Should().Be(ExitCodes.Ok, declared.ToString());
        var asked = await Execute(["cert", "ask-verification", CertId, "--reasons", "cotton origin doubtful", "--json"], Key(KzCustoms), Network);
        asked.ExitCode.Should().Be(ExitCodes.Ok, asked.ToString());
        string requestId;
        using (var json = JsonDocument.Parse(asked.Output))
        {
            requestId = json.RootElement.GetProperty("txId").GetString()!;
        }

        var lapsedHeight = await LapsedHeightAsync();

        var shown = await Execute(["cert", "show", CertId], Key(KzCustoms), Network);
        shown.ExitCode.Should().Be(ExitCodes.Ok, shown.ToString());
        shown.Output.Should().Contain("Suspended").And.Contain(requestId).And.Contain($"deadline passed unanswered at height {lapsedHeight}");
        var verified = await Execute(["cert", "verify", CertId], Network);
        verified.ExitCode.Should().Be(ExitCodes.Refused, verified.ToString());
        verified.Output.Should().Contain("Suspended").And.Contain("proven against block");
        var use = await Execute(["cert", "use", CertId, "--declaration", "KZ-DT-2025-0101", "--line", "1=1000"], Key(KzCustoms), Network);
        use.ShouldFailInOneLine(ExitCodes.Refused, "refused CERT_NOT_ACTIVE", "Suspended");

        var automatic = await AutomaticReceiptsAsync(lapsedHeight);
        automatic.Should().ContainSingle().Which.Code.Should().Be(RuleCatalog.VerificationDeadlinePassed);
        automatic[0].Message.Should().Contain(CertId).And.Contain(requestId);
        var audit = await Execute(["audit", "--to", lapsedHeight.ToString(System.Globalization.CultureInfo.InvariantCulture)], Key(KzCustoms), Network);
        audit.ExitCode.Should().Be(ExitCodes.Ok, audit.ToString());
        audit.Output.Should().Contain("clean: no discrepancy");

        var manual = await Execute(["cert", "reinstate", CertId], Key(CnChamber), Network);
        manual.ShouldFailInOneLine(ExitCodes.Refused, "refused VERIFICATION_ANSWER_REQUIRED");
        var confirmed = await Execute(["cert", "answer-verification", CertId, "--request", requestId, "--outcome", "confirmed", "--remarks", "gin records checked"],
            Key(CnChamber), Network);
        confirmed.ExitCode.Should().Be(ExitCodes.Ok, confirmed.ToString());
        var reinstated = await Execute(["cert", "verify", CertId], Network);
        reinstated.ExitCode.Should().Be(ExitCodes.Ok, reinstated.ToString());
        reinstated.Output.Should().Contain("Issued");

        // Asked again, the issuer does not confirm: the certificate is annulled, and its consignment shows it.
        var again = await Execute(["cert", "ask-verification", CertId, "--reasons", "gin lot weights disagree", "--json"], Key(KzCustoms), Network);
        again.ExitCode.Should().Be(ExitCodes.Ok, again.ToString());
        using (var json = JsonDocument.Parse(again.Output))
        {
            requestId = json.RootElement.GetProperty("txId").GetString()!;
        }
        var notConfirmed = await Execute(["cert", "answer-verification", CertId, "--request", requestId, "--outcome", "not-confirmed", "--remarks", "no such gin lot"],
            Key(CnChamber), Network);
        notConfirmed.ExitCode.Should().Be(ExitCodes.Ok, notConfirmed.ToString());
        var annulled = await Execute(["cert", "verify", CertId], Network);
        annulled.ExitCode.Should().Be(ExitCodes.Refused, annulled.ToString());
        annulled.Output.Should().Contain("Annulled");
        var route = await Execute(["route", "show", ConsignmentId], Key(KzCustoms), Network);
        route.ExitCode.Should().Be(ExitCodes.Ok, route.ToString());
        route.Output.Should().Contain($"{CertId} (Annulled");
        var routeJson = await Execute(["route", "show", ConsignmentId, "--json"], Key(KzCustoms), Network);
        using (var json = JsonDocument.Parse(routeJson.Output))
        {
            var linked = json.RootElement.GetProperty("certificates")[0];
            linked.GetProperty("certificateId").GetString().Should().Be(CertId);
            linked.GetProperty("status").GetString().Should().Be("Annulled");
            linked.GetProperty("statusReason").GetString().Should().Contain(requestId).And.Contain("NOT_CONFIRMED");
        }
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls the proven record until the sweep has suspended the certificate; its lapse height.</summary>
    private async Task<ulong> LapsedHeightAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await CliRun.InvokeAsync([.. new[] { "cert", "show", CertId, "--json" }, .. Key(KzCustoms), .. Network]);
            run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
            using var json = JsonDocument.Parse(run.Output);
            var record = json.RootElement.GetProperty("record");
            if (record.TryGetProperty("status", out var status) && status.GetString() == "CERTIFICATE_STATUS_SUSPENDED")
            {
                var request = record.GetProperty("verifications")[0];
                record.GetProperty("suspendedByRequest").GetString().Should().Be(request.GetProperty("requestId").GetString());
                return ulong.Parse(request.GetProperty("lapsedHeight").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            DateTime.UtcNow.Should().BeBefore(until, "the deadline of {0} ms passed long ago; the record is {1}", DeadlineMs, record.ToString());
            // Not a timing assumption: a pause between polls, so the loop does not take the nodes' CPU.
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The automatic receipts of one block, as the block stream serves it.</summary>
    private async Task<IReadOnlyList<Receipt>> AutomaticReceiptsAsync(ulong height)
    {
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(_network!.GenesisPath));
        var options = new LedgerClientOptions
        {
            ChainId = genesis.ChainId,
            Genesis = genesis,
            Reader = await MemberSigner.FromKeyFileAsync(_network.MemberKey(KzCustoms), genesis.ChainId),
        };
        options.Endpoints.Add(_network.Endpoints[0]);
        using var connection = new LedgerConnection(Options.Create(options));
        var node = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var block in node.StreamBlocksAsync(height, stop.Token))
        {
            return block.Automatic;
        }
        throw new InvalidOperationException($"the stream ended before block {height}");
    }
}
