using Ledger.Client;
using Ledger.Contracts.Genesis;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Network;
using Ledger.Node.Verification;
using Microsoft.Extensions.Options;
using PuppeteerSharp;

namespace Ledger.Node.Tests.Verification;

/// <summary>
/// A network of four validator processes with their verification pages, CCPIT's certificates in each state the page
/// shows (issued, replaced with its successor, revoked), and one headless chromium for the tests of a class.
/// </summary>
public sealed class VerificationPageFixture : IAsyncLifetime
{
    public const string IssuedNumber = "CCPIT-XJ-2026-00101";
    public const string ReplacedNumber = "CCPIT-XJ-2026-00102";
    public const string SuccessorNumber = "CCPIT-XJ-2026-00102-R";
    public const string RevokedNumber = "CCPIT-XJ-2026-00103";
    public const string ReplaceReason = "consignee address corrected";
    public const string RevokeReason = "issued in error";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-page-test-{Guid.NewGuid():N}");
    private DemoNetwork? _network;
    private IBrowser? _browser;

    public DemoNetwork Network => _network ?? throw new InvalidOperationException("the network has not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("chromium has not started");

    public string Folder => _folder;

    public string PageUrl => Network.VerificationPageUrl;

    public string GenesisHash { get; private set; } = "";

    /// <summary>The page's link to a certificate, as its QR code carries it.</summary>
    public string LinkTo(string number, string? pageUrl = null) =>
        VerificationLink.Of(pageUrl ?? PageUrl, GenesisHash, CertificateTransactions.IdOf(number));

    /// <summary>The document each test certificate certifies: CertificateTransactions hashes the number's bytes.</summary>
    public static byte[] DocumentOf(string number) => System.Text.Encoding.UTF8.GetBytes(number);

    /// <summary>Where screenshots go: LEDGER_PAGE_SCREENSHOTS (docs/screenshots to refresh those in the repository), else a temporary folder.</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("LEDGER_PAGE_SCREENSHOTS") is { Length: > 0 } configured
                ? Path.GetFullPath(configured, Cli.CliNetworkFixture.RepositoryRoot)
                : Path.Combine(Path.GetTempPath(), "ledger-page-screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>How often a condition waited on is tried again: a poll with a deadline, not a sleep for timing.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Tries <paramref name="condition"/> until it holds; fails after a minute naming <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(PollInterval);
        }
    }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        _browser = await Chromium.LaunchAsync();
        // A heartbeat a second: a test below needs the height to move while nothing is submitted.
        _network = await DemoNetwork.StartAsync(_folder, CorridorGenesis.Create(LocalNetwork.DefaultChainId, DateTimeOffset.UtcNow.AddDays(-30), 4),
            new Ledger.Node.Hosting.ConsensusTimeouts(EmptyBlockIntervalMs: 1_000), timeout.Token);
        GenesisHash = VerificationLink.GenesisHash(await File.ReadAllBytesAsync(Network.GenesisPath, timeout.Token));
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(Network.GenesisPath, timeout.Token));
        var options = new LedgerClientOptions { ChainId = genesis.ChainId, Genesis = genesis, CommitWait = TimeSpan.FromSeconds(20) };
        foreach (var endpoint in Network.Endpoints)
        {
            options.Endpoints.Add(endpoint);
        }
        using var connection = new LedgerConnection(Options.Create(options));
        var node = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
        var chamber = new ChamberClient(node, await MemberSigner.FromKeyFileAsync(Network.MemberKey(CorridorGenesis.CnChamber), genesis.ChainId, cancellationToken: timeout.Token));
        await chamber.IssueAsync(CertificateTransactions.Certificate(IssuedNumber), timeout.Token);
        await chamber.IssueAsync(CertificateTransactions.Certificate(ReplacedNumber), timeout.Token);
        await chamber.ReplaceAsync(CertificateTransactions.IdOf(ReplacedNumber), CertificateTransactions.Certificate(SuccessorNumber), ReplaceReason, timeout.Token);
        await chamber.IssueAsync(CertificateTransactions.Certificate(RevokedNumber), timeout.Token);
        await chamber.RevokeAsync(CertificateTransactions.IdOf(RevokedNumber), RevokeReason, timeout.Token);
        await ChangeValidatorSetAsync(node, genesis.ChainId, timeout.Token);
    }

    /// <summary>
    /// Governance doubles a validator's power and the network moves past the height it is in force from: every page test
    /// then checks proofs whose header is signed by a roster the page learns from the genesis through the proof's own
    /// roster change (PROTOCOL.md, "Validator sets").
    /// </summary>
    private async Task ChangeValidatorSetAsync(LedgerNodeClient node, string chainId, CancellationToken ct)
    {
        var change = new Wire.MembershipChange { SetValidatorPower = new Wire.ValidatorPower { OrganisationId = "validator-2", Power = 2 } };
        var proposer = await MemberSigner.FromKeyFileAsync(Network.MemberKey(CorridorGenesis.KzChamber), chainId, cancellationToken: ct);
        var proposal = await node.SubmitAndWaitAsync(proposer.Sign(b => b.ProposeMembershipChange = new Wire.ProposeMembershipChange { Change = change, Reason = "test" }), ct);
        var id = Convert.ToHexStringLower(proposal.Receipt.TxId.Span);
        Wire.CommittedReceipt applied = proposal;
        foreach (var approver in new[] { CorridorGenesis.CnCustoms, CorridorGenesis.KzCustoms })
        {
            var signer = await MemberSigner.FromKeyFileAsync(Network.MemberKey(approver), chainId, cancellationToken: ct);
            applied = await node.SubmitAndWaitAsync(signer.Sign(b => b.ApproveMembershipChange = new Wire.ApproveMembershipChange { ProposalId = id }), ct);
            applied.Receipt.Code.Should().Be("OK", applied.Receipt.Message);
        }
        var inForce = applied.Height + 2;
        await WaitUntilAsync($"the network passes height {inForce}, where the new validator set is in force", async () =>
            (await node.GetStatusAsync(ct)).Height > inForce);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
