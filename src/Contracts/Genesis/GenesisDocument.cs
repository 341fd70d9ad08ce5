namespace Ledger.Contracts.Genesis;

/// <summary>The genesis document as written in JSON (docs/GENESIS.md). Loaded by <see cref="GenesisLoader"/>.</summary>
public sealed record GenesisDocument(
    string ChainId,
    string GenesisTime,
    IReadOnlyList<GenesisOrganisation> Organisations,
    IReadOnlyList<GenesisCheckpoint> Checkpoints,
    IReadOnlyList<GenesisValidator> Validators,
    IReadOnlyList<GenesisForm> Forms,
    IReadOnlyList<string> Units,
    int RetroactiveWindowDays = 365,
    GenesisLimits? Limits = null,
    long VerificationDeadlineMs = 0);

/// <summary>An organisation: roles by name ("chamber", "customs", "customs-post", "auditor", "validator"), keys as "suite:hex".</summary>
public sealed record GenesisOrganisation(
    string Id,
    string Name,
    string Country,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Keys,
    IReadOnlyList<string>? Checkpoints = null);

/// <summary>A checkpoint; kind is "rail-border", "road-border", "port" or "inland-terminal".</summary>
public sealed record GenesisCheckpoint(string Code, string Name, string Country, uint GaugeMm, string Kind);

/// <summary>A validator: the organisation that runs it and its consensus key ("suite:hex").</summary>
public sealed record GenesisValidator(string Organisation, string Key, long Power = 1);

/// <summary>The rules of one form type.</summary>
public sealed record GenesisForm(
    string FormType,
    bool CriterionRequired,
    IReadOnlyList<string>? Criteria = null,
    IReadOnlyList<string>? RequiredFields = null);

/// <summary>Size limits; defaults suit certificates of up to a few hundred goods lines.</summary>
public sealed record GenesisLimits(
    uint TxBytesMax = 65_536,
    uint StringCharsMax = 1_024,
    uint GoodsLinesMax = 200,
    uint ListItemsMax = 64);
