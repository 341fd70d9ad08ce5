using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Support;

/// <summary>
/// The network the contract tests run on: the China–Kazakhstan corridor with its chambers, customs,
/// posts and checkpoints. Keys are placeholder bytes: contract tests run on decoded transactions,
/// whose signatures the decoder checked before.
/// </summary>
public static class TestNetwork
{
    public const string ChainId = "test-corridor";
    public const long GenesisTimeMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    public const long DayMs = 86_400_000;

    public const string CnChamber = "cn-ccpit";
    public const string KzChamber = "kz-chamber";
    public const string CnCustoms = "cn-customs";
    public const string KzCustoms = "kz-customs";
    public const string PostUrumqi = "cn-post-urumqi";
    public const string PostAlashankou = "cn-post-alashankou";
    public const string PostDostyk = "kz-post-dostyk";
    public const string PostAlmaty = "kz-post-almaty";
    public const string Auditor = "kz-auditor";

    public const string Urumqi = "CN-URUMQI";
    public const string Alashankou = "CN-ALASHANKOU";
    public const string Dostyk = "KZ-DOSTYK";
    public const string Almaty = "KZ-ALMATY";
    public const string Khorgos = "CN-KHORGOS";

    public static PublicKey KeyOf(string orgId, int generation = 0) => new()
    {
        Suite = KeySuite.Ed25519,
        Key = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{orgId}#{generation}"))),
    };

    public static NetworkConfig Config()
    {
        var config = new NetworkConfig
        {
            ChainId = ChainId,
            GenesisTimeMs = GenesisTimeMs,
            RetroactiveWindowMs = 365 * DayMs,
            Limits = new Limits { TxBytesMax = 65_536, StringCharsMax = 1_024, GoodsLinesMax = 100, ListItemsMax = 64 },
        };
        config.Units.AddRange(["KGM", "TNE", "PCE", "MTR"]);
        config.Forms.Add(new FormRule { FormType = "CN-GENERAL", CriterionRequired = false, RequiredFields = { "transport.route", "invoice_number" } });
        config.Forms.Add(new FormRule { FormType = "FORM-A", CriterionRequired = true, Criteria = { "P", "W*" } });
        config.Forms.Add(new FormRule { FormType = "CT-1", CriterionRequired = true, Criteria = { "WO", "CTH", "CTSH", "RVC*" }, RequiredFields = { "producer" } });
        config.Checkpoints.Add(new CheckpointInfo { Code = Urumqi, Name = "Urumqi", Country = "CN", GaugeMm = 1435, Kind = CheckpointKind.InlandTerminal });
        config.Checkpoints.Add(new CheckpointInfo { Code = Alashankou, Name = "Alashankou", Country = "CN", GaugeMm = 1435, Kind = CheckpointKind.RailBorder });
        config.Checkpoints.Add(new CheckpointInfo { Code = Dostyk, Name = "Dostyk", Country = "KZ", GaugeMm = 1520, Kind = CheckpointKind.RailBorder });
        config.Checkpoints.Add(new CheckpointInfo { Code = Almaty, Name = "Almaty-1", Country = "KZ", GaugeMm = 1520, Kind = CheckpointKind.InlandTerminal });
        config.Checkpoints.Add(new CheckpointInfo { Code = Khorgos, Name = "Khorgos", Country = "CN", GaugeMm = 0, Kind = CheckpointKind.RoadBorder });
        foreach (var validator in new[] { CnChamber, KzChamber, CnCustoms, KzCustoms })
        {
            config.Validators.Add(new Validator { OrganisationId = validator, Key = KeyOf(validator + "/validator"), Power = 1 });
        }
        return config;
    }

    public static IReadOnlyList<Organisation> Organisations() =>
    [
        Org(CnChamber, "China Council for the Promotion of International Trade", "CN", [Role.Chamber, Role.Validator]),
        Org(KzChamber, "National Chamber of Entrepreneurs Atameken", "KZ", [Role.Chamber, Role.Validator]),
        Org(CnCustoms, "General Administration of Customs of China", "CN", [Role.Customs, Role.Validator]),
        Org(KzCustoms, "State Revenue Committee, Customs of Kazakhstan", "KZ", [Role.Customs, Role.Validator]),
        Org(PostUrumqi, "Urumqi customs post", "CN", [Role.CustomsPost], Urumqi),
        Org(PostAlashankou, "Alashankou customs post", "CN", [Role.CustomsPost], Alashankou),
        Org(PostDostyk, "Dostyk customs post", "KZ", [Role.CustomsPost], Dostyk),
        Org(PostAlmaty, "Almaty customs post", "KZ", [Role.CustomsPost], Almaty),
        Org(Auditor, "Audit office", "KZ", [Role.Auditor]),
    ];

    private static Organisation Org(string id, string name, string country, Role[] roles, params string[] checkpoints)
    {
        var org = new Organisation { Id = id, Name = name, Country = country };
        org.Roles.AddRange(roles);
        org.Checkpoints.AddRange(checkpoints);
        org.Keys.Add(KeyOf(id));
        return org;
    }
}
