using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Ledger.Client;
using Ledger.Client.Audit;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using Microsoft.Extensions.Options;
using Spectre.Console;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Demo;

/// <summary>
/// The story of MISSION.md, played end to end against a running network through the client library:
/// a certificate issued in Urumqi, cotton yarn by rail through Alashankou and Dostyk with a gauge
/// change, verified with a proof and used by Kazakh customs in Almaty, a refused revocation, a new member
/// admitted and a key rotated by governance (<see cref="GovernanceStory"/>), and an audit of the whole ledger. Returns non-zero if any step does not turn out as the story says.
/// </summary>
public sealed class CorridorStory
{
    private const string ConsignmentId = "CIM-SMGS-2026-88213";
    private readonly IAnsiConsole _out;
    private readonly DemoNetwork _network;
    private readonly byte[] _document;
    private readonly string _certNumber;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private int _failures;

    public CorridorStory(IAnsiConsole console, DemoNetwork network)
    {
        _out = console;
        _network = network;
        _certNumber = $"CCPIT-XJ-{_now:yyyy}-{_now:HHmmss}";
        _document = Encoding.UTF8.GetBytes($"Certificate of origin {_certNumber}, cotton yarn, 25 t (signed PDF)");
    }

    private string CertId => CertificateIds.Of(CnChamber, _certNumber);

    /// <summary>The verification page's link to the story's certificate, once step 5 printed it.</summary>
    public string? VerificationLink { get; private set; }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        _out.Write(new Rule("[bold]Ledger demo: cotton yarn from Urumqi to Almaty[/]").LeftJustified());
        _out.MarkupLine($"[grey]{_network.Endpoints.Count} validator processes on {Markup.Escape(string.Join(", ", _network.Endpoints))}; data and logs in {Markup.Escape(_network.Folder)}[/]");
        _out.MarkupLine("[grey]Every write is signed in the client with the member's own suite (CCPIT and China's customs SM2, Kazakhstan's GOST R 34.10-2012, posts P-256, Ed25519, SM2, GOST).[/]");
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(_network.GenesisPath, ct));
        async Task<MemberSigner> Signer(string org) => await MemberSigner.FromKeyFileAsync(_network.MemberKey(org), genesis.ChainId, cancellationToken: ct);
        // Kazakh import customs reads (the audit replays blocks, which hold full certificates): a member's signed reads.
        var options = new LedgerClientOptions { ChainId = genesis.ChainId, Genesis = genesis, CommitWait = TimeSpan.FromSeconds(20), Reader = await Signer(KzCustoms) };
        foreach (var endpoint in _network.Endpoints)
        {
            options.Endpoints.Add(endpoint);
        }
        using var connection = new LedgerConnection(Options.Create(options));
        var node = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
        var ccpit = new ChamberClient(node, await Signer(CnChamber));
        var atameken = new ChamberClient(node, await Signer(KzChamber));
        var chinaCustoms = new ExportCustomsClient(node, await Signer(CnCustoms));
        var kazakhCustoms = new ImportCustomsClient(node, await Signer(KzCustoms));

        Step("1. CCPIT (China's chamber, SM2) issues a certificate of origin for 25 t of cotton yarn");
        await Expect(() => ccpit.IssueAsync(Certificate(_certNumber), ct), RuleCatalog.Ok);

        Step("2. The Kazakh chamber tries to certify Chinese origin: not its country");
        await Expect(() => atameken.IssueAsync(Certificate("KZ-" + _certNumber), ct), RuleCatalog.IssuerNotAccredited);

        Step("3. Chinese export customs declares the consignment: one wagon, two electronic seals, four checkpoints");
        await Expect(() => chinaCustoms.DeclareConsignmentAsync(Consignment(), ct), RuleCatalog.Ok);

        Step("4. Customs posts record the journey, with the 1435 -> 1520 mm gauge change at Dostyk");
        await Event(new CustomsPostClient(node, await Signer(PostUrumqi)), Urumqi, CheckpointEventKind.Departure, Hours(-70), 0, ct);
        await Event(new CustomsPostClient(node, await Signer(PostAlashankou)), Alashankou, CheckpointEventKind.BorderExit, Hours(-40), 0, ct);
        var dostyk = new CustomsPostClient(node, await Signer(PostDostyk));
        await Event(dostyk, Dostyk, CheckpointEventKind.BorderEntry, Hours(-34), 0, ct);
        await Event(dostyk, Dostyk, CheckpointEventKind.GaugeChange, Hours(-25), 1520, ct);
        await Event(new CustomsPostClient(node, await Signer(PostAlmaty)), Almaty, CheckpointEventKind.Arrival, Hours(-5), 0, ct);

        Step("5. Kazakh import customs verifies origin and route, with a proof it checks itself");
        var verified = await kazakhCustoms.VerifyCertificateAsync(CertId, SHA256.HashData(_document), cancellationToken: ct);
        Line($"certificate {CertId}: {CertificateStatusNames.Format(verified.Status)}, issued by {verified.IssuerName} ({verified.IssuerCountry})");
        Check(verified.Trust == AnswerTrust.Proven, $"answer proven against block {verified.ProvenAt?.Height} signed by more than two thirds of the validators", "the answer was not proven");
        Check(verified.ContentHash == ContentHashCheck.Match, "the document the importer presented matches the recorded content hash", $"content hash: {verified.ContentHash}");
        var route = verified.Consignments.SingleOrDefault();
        Check(route?.Kind == RouteVerdictKind.DirectTransportVerified, $"route verdict of {ConsignmentId}: direct transport verified", $"route verdict: {route?.Kind}");
        var absent = await kazakhCustoms.VerifyCertificateAsync(CertificateIds.Of(CnChamber, "NO-SUCH-CERT"), cancellationToken: ct);
        Check(absent.IsProvenAbsent, "a certificate that was never issued is proven absent, not just 'not found'", "absence was not proven");
        VerificationLink = Verification.VerificationLink.Of(_network.VerificationPageUrl,
            Verification.VerificationLink.GenesisHash(await File.ReadAllBytesAsync(_network.GenesisPath, ct)), CertId);
        Line($"anyone can check it in a browser, which verifies the proof itself (the link its QR code carries): {VerificationLink}");

        Step("6. Import customs records use against two declarations; the second would exceed the balance");
        await Expect(() => kazakhCustoms.RecordUseAsync(CertId, "KZ-DT-2026-11-0091", [new UseLine { ItemNo = 1, QuantityMilli = 20_000_000 }], ct), RuleCatalog.Ok);
        await Expect(() => kazakhCustoms.RecordUseAsync(CertId, "KZ-DT-2026-11-0107", [new UseLine { ItemNo = 1, QuantityMilli = 5_000_001 }], ct), RuleCatalog.UseExceedsBalance);
        await Expect(() => kazakhCustoms.RecordUseAsync(CertId, "KZ-DT-2026-11-0107", [new UseLine { ItemNo = 1, QuantityMilli = 5_000_000 }], ct), RuleCatalog.Ok);

        Step("7. CCPIT tries to revoke the certificate after the goods cleared on it");
        await Expect(() => ccpit.RevokeAsync(CertId, "issued in error", ct), RuleCatalog.CertNotActive);

        if (genesis.VerificationDeadlineMs > 0)
        {
            Step($"8. Kazakh customs asks CCPIT to verify a second certificate, and CCPIT lets the {genesis.VerificationDeadlineMs / 1000.0:0.#} s deadline pass");
            await DeadlineAsync(node, ccpit, kazakhCustoms, genesis.VerificationDeadlineMs, ct);
        }

        _failures += await new GovernanceStory(_out).RunAsync(node, Signer, Certificate, ct);

        Step("11. The auditor replays the whole ledger from genesis, block by block, governance included");
        await AuditAsync(node, genesis, ct);

        _out.Write(new Rule(_failures == 0 ? "[green]the story played as told[/]" : $"[red]{_failures} step(s) did not turn out as told[/]").LeftJustified());
        return _failures == 0 ? 0 : 1;
    }

    /// <summary>A request left unanswered: the first block past its deadline suspends the certificate with no transaction; the late confirmation reinstates it.</summary>
    private async Task DeadlineAsync(LedgerNodeClient node, ChamberClient ccpit, ImportCustomsClient kazakhCustoms, long deadlineMs, CancellationToken ct)
    {
        var number = _certNumber + "-V";
        var certId = CertificateIds.Of(CnChamber, number);
        await Expect(() => ccpit.IssueAsync(Certificate(number), ct), RuleCatalog.Ok);
        var request = await kazakhCustoms.RequestVerificationAsync(certId, "the spinning mill's output does not cover the declared yarn", ct);
        var requestId = Convert.ToHexStringLower(request.Receipt.TxId.Span);
        Line($"request {requestId[..12]}… committed at height {request.Height}; CCPIT does not answer");
        var until = DateTime.UtcNow.AddMilliseconds((10 * deadlineMs) + 30_000);
        Ledger.Client.CertificateVerification answer;
        do
        {
            // A pause between polls of the proven status, not a timing assumption: the check is the status itself.
            await Task.Delay(500, ct);
            answer = await kazakhCustoms.VerifyCertificateAsync(certId, cancellationToken: ct);
        }
        while (answer.Status == CertificateStatus.Issued && DateTime.UtcNow < until);
        var lapsed = answer.Record?.Verifications.SingleOrDefault()?.LapsedHeight ?? 0;
        Check(answer.Status == CertificateStatus.Suspended && lapsed > 0,
            $"{certId}: suspended automatically at height {lapsed}, with no transaction ({answer.StatusReason})", $"{certId} is {CertificateStatusNames.Format(answer.Status)}");
        if (lapsed > 0)
        {
            var automatic = (await node.GetBlockAsync(lapsed, ct)).Automatic;
            Check(automatic.Any(r => r.Code == RuleCatalog.VerificationDeadlinePassed),
                $"block {lapsed} carries the automatic receipt {RuleCatalog.VerificationDeadlinePassed}", $"block {lapsed} has no automatic receipt");
        }
        await Expect(() => kazakhCustoms.RecordUseAsync(certId, "KZ-DT-2026-11-0200", [new UseLine { ItemNo = 1, QuantityMilli = 1_000_000 }], ct), RuleCatalog.CertNotActive);
        await Expect(() => ccpit.AnswerVerificationAsync(certId, requestId, VerificationOutcome.Confirmed, "mill records checked", ct), RuleCatalog.Ok);
        var after = await kazakhCustoms.VerifyCertificateAsync(certId, cancellationToken: ct);
        Check(after.Status == CertificateStatus.Issued, $"{certId}: reinstated by CCPIT's late confirmation", $"{certId} is {CertificateStatusNames.Format(after.Status)} after the confirmation");
    }

    private async Task AuditAsync(LedgerNodeClient node, GenesisDocument genesis, CancellationToken ct)
    {
        var head = (await node.GetStatusAsync(ct)).Height;
        var (config, organisations) = GenesisLoader.Load(genesis);
        var auditor = new LedgerAuditor(config, GenesisState.Entries(config, organisations));
        var report = await auditor.RunAsync(Blocks(node, head, ct), head, null, ct);
        Check(report.Clean,
            $"{report.Blocks} blocks, {report.Transactions} transactions, {report.Certificates} commit certificates and {report.Signatures} signatures checked; every receipt and state root re-computed and equal",
            $"{report.Findings.Count} discrepancies: {string.Join("; ", report.Findings.Take(3))}");
        foreach (var (issuer, statuses) in report.CertificatesByIssuerAndStatus)
        {
            Line($"{issuer}: {string.Join(", ", statuses.Select(s => $"{s.Value} {s.Key}"))}");
        }
        Line($"consignments: {string.Join(", ", report.ConsignmentsByVerdict.Select(v => $"{v.Value} {v.Key}"))}");
    }

    private static async IAsyncEnumerable<StoredBlock> Blocks(LedgerNodeClient node, ulong head, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (ulong height = 1; height <= head; height++)
        {
            yield return await node.GetBlockAsync(height, ct);
        }
    }

    private async Task Event(CustomsPostClient post, string checkpoint, CheckpointEventKind kind, long atMs, uint gaugeAfterMm, CancellationToken ct)
    {
        var e = new RecordCheckpointEvent { ConsignmentId = ConsignmentId, Checkpoint = checkpoint, Kind = kind, OccurredAtMs = atMs, GaugeAfterMm = gaugeAfterMm };
        e.Seals.Add(new SealObservation { SealId = "CN-ES-7781", Status = SealStatus.Sealed });
        e.Seals.Add(new SealObservation { SealId = "CN-ES-7782", Status = SealStatus.Sealed });
        Line($"{checkpoint}: {kind}{(gaugeAfterMm > 0 ? $" to {gaugeAfterMm} mm" : "")}, seals CN-ES-7781 and CN-ES-7782 intact");
        await Expect(() => post.RecordCheckpointEventAsync(e, ct), RuleCatalog.Ok);
    }

    private async Task Expect(Func<Task<CommittedReceipt>> submit, string code)
    {
        string what;
        string actual;
        try
        {
            var receipt = await submit();
            actual = receipt.Receipt.Code;
            what = $"committed at height {receipt.Height}, tx {Convert.ToHexStringLower(receipt.Receipt.TxId.Span)[..12]}…";
        }
        catch (LedgerRefusedException e)
        {
            actual = e.Code;
            what = $"refused {e.Code}: {e.Reason}{(e.Receipt is { } r ? $" (committed with its refusal at height {r.Height})" : "")}";
        }
        Check(actual == code, what, $"{what} (expected {code})");
    }

    private void Check(bool ok, string good, string bad)
    {
        _out.MarkupLine(ok ? $"   [green]✓[/] {Markup.Escape(good)}" : $"   [red]✗ {Markup.Escape(bad)}[/]");
        _failures += ok ? 0 : 1;
    }

    private void Step(string title) => _out.MarkupLine($"\n[bold yellow]{Markup.Escape(title)}[/]");

    private void Line(string text) => _out.MarkupLine($"   [grey]{Markup.Escape(text)}[/]");

    private long Hours(int hours) => _now.AddHours(hours).ToUnixTimeMilliseconds();

    private Certificate Certificate(string number) => new()
    {
        Number = number,
        FormType = "CN-GENERAL",
        IssuedAtMs = Hours(-72),
        Exporter = new Party { Name = "Xinjiang Tianshan Cotton Export Co., Ltd.", Address = "88 Youhao North Road, Urumqi", Country = "CN" },
        Producer = new Party { Name = "Aksu Huafu Spinning Mill", Address = "Aksu, Xinjiang", Country = "CN" },
        Consignee = new Party { Name = "Almaty Textile Trading LLP", Address = "120 Raiymbek Ave, Almaty", Country = "KZ" },
        ExportCountry = "CN",
        ImportCountry = "KZ",
        Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = Hours(-70), Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-62154873" } },
        InvoiceNumber = "TS-INV-2026-1187",
        InvoiceDateMs = Hours(-96),
        ExporterDeclaration = "The undersigned declares that the goods were produced in China and comply with the rules of origin.",
        Certification = "Certified by CCPIT Xinjiang Sub-Council",
        ContentHash = ByteString.CopyFrom(SHA256.HashData(_document)),
        Goods = { new GoodsLine { ItemNo = 1, Marks = "TS/ALA/01-500", Packages = "500 bales", Description = "Cotton yarn, combed, 85% or more cotton, single", HsCode = "520523", GrossWeightGrams = 25_600_000, QuantityMilli = 25_000_000, Unit = "KGM" } },
    };

    private DeclareConsignment Consignment() => new()
    {
        ConsignmentId = ConsignmentId,
        CertificateIds = { CertId },
        Mode = TransportMode.Rail,
        VehicleIds = { "WAGON-62154873" },
        Seals = { new Seal { SealId = "CN-ES-7781" }, new Seal { SealId = "CN-ES-7782" } },
        Itinerary =
        {
            new ItineraryStop { Checkpoint = Urumqi },
            new ItineraryStop { Checkpoint = Alashankou, MinLegMs = 12 * 3_600_000L, MaxLegMs = 48 * 3_600_000L },
            new ItineraryStop { Checkpoint = Dostyk, MinLegMs = 3_600_000L, MaxLegMs = 24 * 3_600_000L },
            new ItineraryStop { Checkpoint = Almaty, MinLegMs = 12 * 3_600_000L, MaxLegMs = 72 * 3_600_000L },
        },
    };
}
