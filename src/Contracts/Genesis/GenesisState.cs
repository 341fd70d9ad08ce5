using Google.Protobuf;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Membership;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Genesis;

/// <summary>The state before the first block: the configuration and the founding organisations.</summary>
public static class GenesisState
{
    /// <summary>Checks the genesis and returns its state entries, sorted by key.</summary>
    /// <exception cref="GenesisException">The genesis breaks a rule; the message names it.</exception>
    public static IReadOnlyList<KeyValuePair<string, byte[]?>> Entries(NetworkConfig config, IReadOnlyList<Organisation> organisations)
    {
        Check(config, organisations);
        var overlay = new StateOverlay(new InMemoryState());
        overlay.Set(StateKeys.Config, config.ToByteArray());
        var state = new LedgerState(overlay, config);
        foreach (var org in organisations)
        {
            var record = new OrganisationRecord { Organisation = org };
            record.Keys.AddRange(org.Keys.Select(k => new KeyRecord { Key = k, ValidFromMs = config.GenesisTimeMs }));
            state.Add(record);
        }
        return overlay.Changes;
    }

    /// <summary>A whole genesis state in memory.</summary>
    public static InMemoryState Create(NetworkConfig config, IReadOnlyList<Organisation> organisations)
    {
        var state = new InMemoryState();
        state.Apply(Entries(config, organisations));
        return state;
    }

    private static void Check(NetworkConfig config, IReadOnlyList<Organisation> organisations)
    {
        Require(TextLength.Characters(config.ChainId) is > 0 and <= 64, "chainId must be 1 to 64 characters");
        Require(config.GenesisTimeMs > 0, "genesisTime must be set");
        Require(config.Limits is { TxBytesMax: > 0, StringCharsMax: > 0, GoodsLinesMax: > 0, ListItemsMax: > 0 }, "every limit must be positive");
        Require(config.RetroactiveWindowMs >= 0, "the retroactive window cannot be negative");
        Require(config.VerificationDeadlineMs >= 0, "verificationDeadlineMs cannot be negative (0 sets no deadline)");
        Require(config.Units.Count > 0, "at least one quantity unit must be configured");
        Unique(config.Forms.Select(f => f.FormType), "form type");
        foreach (var form in config.Forms)
        {
            Require(form.FormType.Length > 0, "every form needs a formType");
            Require(!form.CriterionRequired || form.Criteria.Count > 0, $"form {form.FormType} requires a criterion but allows none");
            foreach (var field in form.RequiredFields)
            {
                Require(CertificateFields.IsKnown(field),
                    $"form {form.FormType} requires unknown field '{field}'; known: {string.Join(", ", CertificateFields.Names)}");
            }
        }
        Unique(config.Checkpoints.Select(c => c.Code), "checkpoint code");
        foreach (var checkpoint in config.Checkpoints)
        {
            Require(checkpoint.Code.Length > 0 && Rules.CountryCodes.IsValid(checkpoint.Country), $"checkpoint '{checkpoint.Code}' needs a code and an ISO country");
            Require(checkpoint.GaugeMm is 0 or 1435 or 1520, $"checkpoint '{checkpoint.Code}': gauge must be 1435, 1520 or 0 (no track)");
            Require(checkpoint.Kind != CheckpointKind.Unspecified, $"checkpoint '{checkpoint.Code}' needs a kind");
        }
        Unique(organisations.Select(o => o.Id), "organisation id");
        foreach (var org in organisations)
        {
            var refusal = OrganisationRules.Check(org);
            Require(refusal is null, refusal?.Message ?? "");
            foreach (var code in org.Checkpoints)
            {
                Require(config.Checkpoints.Any(c => c.Code == code), $"organisation '{org.Id}' is registered for unknown checkpoint '{code}'");
            }
        }
        Require(config.Validators.Count > 0, "at least one validator is needed");
        foreach (var validator in config.Validators)
        {
            var org = organisations.FirstOrDefault(o => o.Id == validator.OrganisationId);
            Require(org is not null && org.Roles.Contains(Role.Validator),
                $"validator '{validator.OrganisationId}' must be an organisation with the validator role");
            Require(validator.Power > 0 && validator.Key is { Suite: not KeySuite.Unspecified }, $"validator '{validator.OrganisationId}' needs a key and positive power");
        }
        Unique(config.Validators.Select(v => v.Key.Key.ToBase64()), "validator key");
    }

    private static void Unique(IEnumerable<string> values, string what)
    {
        var duplicate = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        Require(duplicate is null, $"{what} '{duplicate?.Key}' appears more than once");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new GenesisException(message);
        }
    }
}
