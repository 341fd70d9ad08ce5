using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Routes;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Node.Devnet;
using Ledger.Wire;
using Spectre.Console;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Demo;

/// <summary>
/// The story of MISSION.md, played end to end: a certificate issued in Urumqi, cotton yarn by rail
/// through Alashankou and Dostyk with a gauge change, verified and used by Kazakh customs in Almaty.
/// Returns non-zero if any step does not turn out as the story says.
/// </summary>
public sealed class CorridorStory
{
    private const string ChainId = "silk-road-demo";
    private const string CertNumber = "CCPIT-XJ-2026-000417";
    private const string ConsignmentId = "CIM-SMGS-2026-88213";
    private readonly IAnsiConsole _out;
    private readonly IReadOnlyDictionary<string, KeyPair> _keys;
    private readonly InProcessLedger _ledger;
    private readonly byte[] _document = Encoding.UTF8.GetBytes("Certificate of origin CCPIT-XJ-2026-000417, cotton yarn, 25 t (signed PDF)");
    private ulong _nonce;
    private int _failures;

    public CorridorStory(IAnsiConsole console)
    {
        _out = console;
        var genesisTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var (document, keys, _) = CorridorGenesis.Create(ChainId, genesisTime, validatorCount: 4);
        _keys = keys;
        var (config, organisations) = GenesisLoader.Load(document);
        _ledger = new InProcessLedger(GenesisState.Entries(config, organisations), genesisTime.ToUnixTimeMilliseconds());
        _ledger.Advance(TimeSpan.FromDays(20));
    }

    private static string CertId => CertificateIds.Of(CnChamber, CertNumber);

    public int Run()
    {
        _out.Write(new Rule("[bold]Ledger demo: cotton yarn from Urumqi to Almaty[/]").LeftJustified());
        _out.MarkupLine("[grey]In-process: one ledger, real signatures in each member's national suite, every block replayed at the end.[/]");
        _out.MarkupLine("[grey]Network: 4 validators, 9 members: CCPIT and Kazakh customs sign with SM2 and GOST R 34.10-2012, posts with P-256, Ed25519, SM2, GOST.[/]");

        Step("1. CCPIT (China's chamber, SM2) issues a certificate of origin for 25 t of cotton yarn");
        Expect(Submit(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(CertNumber) }), RuleCatalog.Ok);

        Step("2. The Kazakh chamber tries to certify Chinese origin: not its country");
        Expect(Submit(KzChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate("KZ-FAKE-1") }), RuleCatalog.IssuerNotAccredited);

        Step("3. Chinese export customs declares the consignment: one wagon, two electronic seals, four checkpoints");
        Expect(Submit(CnCustoms, b => b.DeclareConsignment = Consignment()), RuleCatalog.Ok);

        Step("4. Customs posts record the journey, with the 1435 -> 1520 mm gauge change at Dostyk");
        var t = _ledger.TimeMs;
        Expect(Event(PostUrumqi, Urumqi, CheckpointEventKind.Departure, t), RuleCatalog.Ok);
        _ledger.Advance(TimeSpan.FromHours(30));
        Expect(Event(PostAlashankou, Alashankou, CheckpointEventKind.BorderExit, t + Hours(30)), RuleCatalog.Ok);
        _ledger.Advance(TimeSpan.FromHours(6));
        Expect(Event(PostDostyk, Dostyk, CheckpointEventKind.BorderEntry, t + Hours(36)), RuleCatalog.Ok);
        _ledger.Advance(TimeSpan.FromHours(9));
        Expect(Event(PostDostyk, Dostyk, CheckpointEventKind.GaugeChange, t + Hours(45), gaugeAfterMm: 1520), RuleCatalog.Ok);
        _ledger.Advance(TimeSpan.FromHours(20));
        Expect(Event(PostAlmaty, Almaty, CheckpointEventKind.Arrival, t + Hours(65)), RuleCatalog.Ok);

        Step("5. Kazakh import customs verifies origin and route, checking the answer against the state root");
        VerifyAsImportCustoms();

        Step("6. Import customs records use against two declarations; the second would exceed the balance");
        Expect(Use("KZ-DT-2026-11-0091", 20_000_000), RuleCatalog.Ok);
        Expect(Use("KZ-DT-2026-11-0107", 5_000_001), RuleCatalog.UseExceedsBalance);
        Expect(Use("KZ-DT-2026-11-0107", 5_000_000), RuleCatalog.Ok);
        Line($"status now {CertificateStatusNames.Format(_ledger.State.Certificate(CertId)!.Status)}");

        Step("7. CCPIT tries to revoke the certificate after the goods cleared on it");
        Expect(Submit(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = CertId, Reason = "issued in error" }), RuleCatalog.CertNotActive);

        Step("8. The auditor replays the whole ledger from genesis, block by block");
        var diverged = _ledger.Replay();
        Check(diverged is null, $"{_ledger.Height} blocks re-executed; every state root matches (final root {Short(_ledger.StateRoot.ToString())})",
            $"state root differs at height {diverged}");

        _out.Write(new Rule(_failures == 0 ? "[green]the story played as told[/]" : $"[red]{_failures} step(s) did not turn out as told[/]").LeftJustified());
        return _failures == 0 ? 0 : 1;
    }

    private void VerifyAsImportCustoms()
    {
        var cert = _ledger.State.Certificate(CertId)!;
        var hashMatches = cert.Certificate.ContentHash.Span.SequenceEqual(SHA256.HashData(_document));
        var key = StateKeys.Certificate(CertId);
        var proofHolds = Contracts.StateTree.StateProof.Verify(_ledger.StateRoot, LedgerStateMachine.TreeKey(key), _ledger.Inner.Values.Get(key), _ledger.Inner.Prove(key));
        var verdict = RouteVerdict.Of(_ledger.State.Consignment(ConsignmentId)!);
        Line($"certificate {CertId}: {CertificateStatusNames.Format(cert.Status)}, issued by {cert.Issuer}");
        Check(hashMatches, "the document the importer presented matches the recorded content hash", "document hash does not match");
        Check(proofHolds, "the certificate record is proven under the state root", "state proof failed");
        Check(verdict.Kind == RouteVerdictKind.DirectTransportVerified, $"route verdict: {verdict.Kind}", $"route verdict: {verdict.Kind} {string.Join(", ", verdict.Breaches.Select(b => b.Code))}");
    }

    private Receipt Use(string declaration, long quantityMilli) => Submit(KzCustoms, b => b.RecordUse = new RecordUse
    {
        CertificateId = CertId,
        DeclarationNumber = declaration,
        Lines = { new UseLine { ItemNo = 1, QuantityMilli = quantityMilli } },
    });

    private Receipt Event(string post, string checkpoint, CheckpointEventKind kind, long atMs, uint gaugeAfterMm = 0)
    {
        var e = new RecordCheckpointEvent { ConsignmentId = ConsignmentId, Checkpoint = checkpoint, Kind = kind, OccurredAtMs = atMs, GaugeAfterMm = gaugeAfterMm };
        e.Seals.Add(new SealObservation { SealId = "CN-ES-7781", Status = SealStatus.Sealed });
        e.Seals.Add(new SealObservation { SealId = "CN-ES-7782", Status = SealStatus.Sealed });
        Line($"{post} at {checkpoint}: {kind}{(gaugeAfterMm > 0 ? $" to {gaugeAfterMm} mm" : "")}, seals CN-ES-7781 and CN-ES-7782 intact");
        return Submit(post, b => b.RecordCheckpointEvent = e);
    }

    private Receipt Submit(string signer, Action<TxBody> kind)
    {
        var pair = _keys[signer];
        var body = new TxBody { ChainId = ChainId, SignerOrg = signer, SignerKey = pair.Public, Nonce = ++_nonce, CreatedAtMs = _ledger.TimeMs };
        kind(body);
        return _ledger.Submit(TransactionSigner.Sign(ChainId, body, pair));
    }

    private void Expect(Receipt receipt, string code)
    {
        var what = receipt.Code == RuleCatalog.Ok
            ? $"committed at height {_ledger.Height}, tx {Short(Convert.ToHexStringLower(receipt.TxId.Span))}{(receipt.Breaches.Count > 0 ? $", breaches {string.Join(", ", receipt.Breaches)}" : "")}"
            : $"refused {receipt.Code}: {receipt.Message}";
        Check(receipt.Code == code, what, $"{what} (expected {code})");
    }

    private void Check(bool ok, string good, string bad)
    {
        _out.MarkupLine(ok ? $"   [green]✓[/] {Markup.Escape(good)}" : $"   [red]✗ {Markup.Escape(bad)}[/]");
        _failures += ok ? 0 : 1;
    }

    private void Step(string title) => _out.MarkupLine($"\n[bold yellow]{Markup.Escape(title)}[/]");

    private void Line(string text) => _out.MarkupLine($"   [grey]{Markup.Escape(text)}[/]");

    private static string Short(string hex) => hex[..12] + "…";

    private static long Hours(int hours) => hours * 3_600_000L;

    private Certificate Certificate(string number)
    {
        var now = _ledger.TimeMs;
        return new Certificate
        {
            Number = number,
            FormType = "CN-GENERAL",
            IssuedAtMs = now - Hours(2),
            Exporter = new Party { Name = "Xinjiang Tianshan Cotton Export Co., Ltd.", Address = "88 Youhao North Road, Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Huafu Spinning Mill", Address = "Aksu, Xinjiang", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile Trading LLP", Address = "120 Raiymbek Ave, Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = now + Hours(24), Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-62154873" } },
            InvoiceNumber = "TS-INV-2026-1187",
            InvoiceDateMs = now - Hours(48),
            ExporterDeclaration = "The undersigned declares that the goods were produced in China and comply with the rules of origin.",
            Certification = "Certified by CCPIT Xinjiang Sub-Council",
            ContentHash = ByteString.CopyFrom(SHA256.HashData(_document)),
            Goods = { new GoodsLine { ItemNo = 1, Marks = "TS/ALA/01-500", Packages = "500 bales", Description = "Cotton yarn, combed, 85% or more cotton, single", HsCode = "520523", GrossWeightGrams = 25_600_000, QuantityMilli = 25_000_000, Unit = "KGM" } },
        };
    }

    private static DeclareConsignment Consignment() => new()
    {
        ConsignmentId = ConsignmentId,
        CertificateIds = { CertId },
        Mode = TransportMode.Rail,
        VehicleIds = { "WAGON-62154873" },
        Seals = { new Seal { SealId = "CN-ES-7781" }, new Seal { SealId = "CN-ES-7782" } },
        Itinerary =
        {
            new ItineraryStop { Checkpoint = Urumqi },
            new ItineraryStop { Checkpoint = Alashankou, MinLegMs = Hours(12), MaxLegMs = Hours(48) },
            new ItineraryStop { Checkpoint = Dostyk, MinLegMs = Hours(1), MaxLegMs = Hours(24) },
            new ItineraryStop { Checkpoint = Almaty, MinLegMs = Hours(12), MaxLegMs = Hours(72) },
        },
    };
}
