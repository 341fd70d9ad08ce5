using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Client.Tests.Support;

/// <summary>
/// A China–Kazakhstan test network with real Ed25519 keys: four validators (the two chambers and the two
/// customs services), posts on the Urumqi → Alashankou → Dostyk → Almaty line, and its genesis document.
/// </summary>
public sealed class Corridor
{
    public const string ChainId = "client-test-corridor";
    public const string GenesisTime = "2026-01-01T00:00:00Z";
    public const long GenesisTimeMs = 1_767_225_600_000;
    public const long DayMs = 86_400_000;

    public const string CnChamber = "cn-ccpit";
    public const string KzChamber = "kz-chamber";
    public const string CnCustoms = "cn-customs";
    public const string KzCustoms = "kz-customs";
    public const string PostUrumqi = "cn-post-urumqi";
    public const string PostAlashankou = "cn-post-alashankou";
    public const string PostDostyk = "kz-post-dostyk";
    public const string PostAlmaty = "kz-post-almaty";

    public const string Urumqi = "CN-URUMQI";
    public const string Alashankou = "CN-ALASHANKOU";
    public const string Dostyk = "KZ-DOSTYK";
    public const string Almaty = "KZ-ALMATY";

    public static readonly string[] ValidatorOrgs = [CnChamber, KzChamber, CnCustoms, KzCustoms];

    public Corridor()
    {
        foreach (var org in new[] { CnChamber, KzChamber, CnCustoms, KzCustoms, PostUrumqi, PostAlashankou, PostDostyk, PostAlmaty })
        {
            MemberKeys[org] = SignatureSuites.Generate(KeySuite.Ed25519);
        }
        ValidatorKeys = ValidatorOrgs.Select(_ => SignatureSuites.Generate(KeySuite.Ed25519)).ToArray();
        Genesis = new GenesisDocument(
            ChainId,
            GenesisTime,
            [
                Org(CnChamber, "China Council for the Promotion of International Trade", "CN", ["chamber", "validator"]),
                Org(KzChamber, "National Chamber of Entrepreneurs Atameken", "KZ", ["chamber", "validator"]),
                Org(CnCustoms, "General Administration of Customs of China", "CN", ["customs", "validator"]),
                Org(KzCustoms, "State Revenue Committee, Customs of Kazakhstan", "KZ", ["customs", "validator"]),
                Org(PostUrumqi, "Urumqi customs post", "CN", ["customs-post"], Urumqi),
                Org(PostAlashankou, "Alashankou customs post", "CN", ["customs-post"], Alashankou),
                Org(PostDostyk, "Dostyk customs post", "KZ", ["customs-post"], Dostyk),
                Org(PostAlmaty, "Almaty customs post", "KZ", ["customs-post"], Almaty),
            ],
            [
                new GenesisCheckpoint(Urumqi, "Urumqi", "CN", 1435, "inland-terminal"),
                new GenesisCheckpoint(Alashankou, "Alashankou", "CN", 1435, "rail-border"),
                new GenesisCheckpoint(Dostyk, "Dostyk", "KZ", 1520, "rail-border"),
                new GenesisCheckpoint(Almaty, "Almaty-1", "KZ", 1520, "inland-terminal"),
            ],
            ValidatorOrgs.Select((org, i) => new GenesisValidator(org, PublicKeyText.Format(ValidatorKeys[i].Public))).ToArray(),
            [new GenesisForm("CN-GENERAL", false, RequiredFields: ["transport.route", "invoice_number"])],
            ["KGM", "TNE", "PCE"]);
    }

    public Dictionary<string, KeyPair> MemberKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The validators' consensus keys, by validator index.</summary>
    public IReadOnlyList<KeyPair> ValidatorKeys { get; }

    public GenesisDocument Genesis { get; }

    public MemberSigner Signer(string org) => new(org, MemberKeys[org], ChainId);

    /// <summary>A China general certificate for cotton yarn to Kazakhstan, issued a day before departure at <paramref name="nowMs"/>.</summary>
    public static Certificate Certificate(string number, long nowMs)
    {
        var cert = new Certificate
        {
            Number = number,
            FormType = "CN-GENERAL",
            IssuedAtMs = nowMs - DayMs,
            Exporter = new Party { Name = "Xinjiang Cotton Export Co.", Address = "Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Spinning Mill", Address = "Aksu", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile LLP", Address = "Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = nowMs, Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-5012345" } },
            InvoiceNumber = "INV-2026-001",
            InvoiceDateMs = nowMs - (2 * DayMs),
            ExporterDeclaration = "The goods were produced in China.",
            Certification = "Certified, CCPIT Xinjiang",
            ContentHash = ByteString.CopyFrom(DocumentHash(number)),
        };
        cert.Goods.Add(new GoodsLine { ItemNo = 1, Marks = "XC-1", Packages = "200 bales", Description = "Cotton yarn, combed", HsCode = "520512", GrossWeightGrams = 20_500_000, QuantityMilli = 20_000_000, Unit = "KGM" });
        return cert;
    }

    /// <summary>The SHA-256 of the document a certificate number stands for in these tests.</summary>
    public static byte[] DocumentHash(string number) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(number));

    /// <summary>A rail consignment Urumqi → Alashankou → Dostyk → Almaty with two seals.</summary>
    public static DeclareConsignment RailConsignment(string id, params string[] certificateIds)
    {
        var tx = new DeclareConsignment
        {
            ConsignmentId = id,
            Mode = TransportMode.Rail,
            VehicleIds = { "WAGON-5012345" },
            Seals = { new Seal { SealId = "SEAL-A" }, new Seal { SealId = "SEAL-B" } },
            Itinerary =
            {
                new ItineraryStop { Checkpoint = Urumqi },
                new ItineraryStop { Checkpoint = Alashankou, MinLegMs = 3_600_000, MaxLegMs = 2 * DayMs },
                new ItineraryStop { Checkpoint = Dostyk, MinLegMs = 3_600_000, MaxLegMs = DayMs },
                new ItineraryStop { Checkpoint = Almaty, MinLegMs = 3_600_000, MaxLegMs = 3 * DayMs },
            },
        };
        tx.CertificateIds.AddRange(certificateIds);
        return tx;
    }

    public static RecordCheckpointEvent Event(string consignmentId, string checkpoint, CheckpointEventKind kind, long occurredAtMs, uint gaugeAfterMm = 0)
    {
        var e = new RecordCheckpointEvent { ConsignmentId = consignmentId, Checkpoint = checkpoint, Kind = kind, OccurredAtMs = occurredAtMs, GaugeAfterMm = gaugeAfterMm };
        e.Seals.Add(new SealObservation { SealId = "SEAL-A", Status = SealStatus.Sealed });
        e.Seals.Add(new SealObservation { SealId = "SEAL-B", Status = SealStatus.Sealed });
        return e;
    }

    private GenesisOrganisation Org(string id, string name, string country, string[] roles, params string[] checkpoints) =>
        new(id, name, country, roles, [PublicKeyText.Format(MemberKeys[id].Public)], checkpoints);
}
