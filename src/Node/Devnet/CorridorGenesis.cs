using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Node.Devnet;

/// <summary>
/// A ready genesis for a local network: the China–Kazakhstan rail corridor through Alashankou and
/// Dostyk, its chambers, customs and posts, each with a fresh key in its own national suite.
/// </summary>
public static class CorridorGenesis
{
    private static readonly string[] ChamberRoles = ["chamber"];

    public const string CnChamber = "cn-ccpit";
    public const string KzChamber = "kz-atameken";
    public const string CnCustoms = "cn-customs";
    public const string KzCustoms = "kz-customs";
    public const string PostUrumqi = "cn-post-urumqi";
    public const string PostAlashankou = "cn-post-alashankou";
    public const string PostDostyk = "kz-post-dostyk";
    public const string PostAlmaty = "kz-post-almaty";
    public const string Auditor = "kz-audit";

    public const string Urumqi = "CN-URUMQI";
    public const int VerificationDeadlineDays = 30;
    private const long DayMs = 86_400_000;
    public const string Alashankou = "CN-ALASHANKOU";
    public const string Dostyk = "KZ-DOSTYK";
    public const string Almaty = "KZ-ALMATY";

    private static readonly (string Id, string Name, string Country, string[] Roles, KeySuite Suite, string[] Checkpoints)[] Members =
    [
        (CnChamber, "China Council for the Promotion of International Trade", "CN", ["chamber"], KeySuite.Sm2Sm3, []),
        (KzChamber, "National Chamber of Entrepreneurs Atameken", "KZ", ["chamber"], KeySuite.Gost2012256, []),
        (CnCustoms, "General Administration of Customs of China", "CN", ["customs"], KeySuite.Sm2Sm3, []),
        (KzCustoms, "State Revenue Committee, Customs of Kazakhstan", "KZ", ["customs"], KeySuite.Gost2012256, []),
        (PostUrumqi, "Urumqi customs post", "CN", ["customs-post"], KeySuite.EcdsaP256, [Urumqi]),
        (PostAlashankou, "Alashankou customs post", "CN", ["customs-post"], KeySuite.Sm2Sm3, [Alashankou]),
        (PostDostyk, "Dostyk customs post", "KZ", ["customs-post"], KeySuite.Gost2012256, [Dostyk]),
        (PostAlmaty, "Almaty-1 customs post", "KZ", ["customs-post"], KeySuite.Ed25519, [Almaty]),
        (Auditor, "Accounts Committee audit office", "KZ", ["auditor"], KeySuite.EcdsaSecp256K1, []),
    ];

    /// <summary>The genesis, each member's key pair, and each validator's consensus key pair (Ed25519).</summary>
    public static (GenesisDocument Document, IReadOnlyDictionary<string, KeyPair> MemberKeys, IReadOnlyList<KeyPair> ValidatorKeys) Create(
        string chainId, DateTimeOffset genesisTime, int validatorCount, IReadOnlyList<(string Id, KeySuite Suite)>? extraChambers = null)
    {
        var memberKeys = new SortedDictionary<string, KeyPair>(StringComparer.Ordinal);
        var organisations = new List<GenesisOrganisation>();
        var members = Members.Concat((extraChambers ?? []).Select(c => (Id: c.Id, Name: $"Chamber {c.Id}", Country: "CN", Roles: ChamberRoles, c.Suite, Checkpoints: Array.Empty<string>())));
        foreach (var m in members)
        {
            var pair = SignatureSuites.Generate(m.Suite);
            memberKeys[m.Id] = pair;
            organisations.Add(new GenesisOrganisation(m.Id, m.Name, m.Country, m.Roles, [PublicKeyText.Format(pair.Public)], m.Checkpoints));
        }
        var validatorKeys = new List<KeyPair>();
        var validators = new List<GenesisValidator>();
        for (var i = 1; i <= validatorCount; i++)
        {
            var id = $"validator-{i}";
            var pair = SignatureSuites.Generate(KeySuite.Ed25519);
            validatorKeys.Add(pair);
            organisations.Add(new GenesisOrganisation(id, $"Validator node {i}", i % 2 == 1 ? "CN" : "KZ", ["validator"], [PublicKeyText.Format(pair.Public)]));
            validators.Add(new GenesisValidator(id, PublicKeyText.Format(pair.Public)));
        }
        var document = new GenesisDocument(
            ChainId: chainId,
            GenesisTime: genesisTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            Organisations: organisations,
            Checkpoints:
            [
                new GenesisCheckpoint(Urumqi, "Urumqi container terminal", "CN", 1435, "inland-terminal"),
                new GenesisCheckpoint(Alashankou, "Alashankou railway port", "CN", 1435, "rail-border"),
                new GenesisCheckpoint(Dostyk, "Dostyk station", "KZ", 1520, "rail-border"),
                new GenesisCheckpoint(Almaty, "Almaty-1 freight terminal", "KZ", 1520, "inland-terminal"),
                new GenesisCheckpoint("CN-KHORGOS", "Khorgos road port", "CN", 0, "road-border"),
                new GenesisCheckpoint("KZ-NURZHOLY", "Nur Zholy road crossing", "KZ", 0, "road-border"),
                new GenesisCheckpoint("KZ-AKTAU", "Aktau sea port", "KZ", 1520, "port"),
            ],
            Validators: validators,
            Forms:
            [
                new GenesisForm("CN-GENERAL", false, [], ["transport.route", "invoice_number"]),
                new GenesisForm("CT-1", true, ["WO", "CTH", "CTSH", "RVC*"], ["producer"]),
                new GenesisForm("FORM-A", true, ["P", "W*"], []),
            ],
            Units: ["KGM", "TNE", "PCE", "MTR", "LTR"],
            // The defaults, written out so that an operator sees the limits in the file.
            Limits: new GenesisLimits(),
            // The issuer has 30 days to answer import customs' verification request (docs/PROTOCOL.md, "Verification deadlines").
            VerificationDeadlineMs: VerificationDeadlineDays * DayMs);
        return (document, memberKeys, validatorKeys);
    }
}
