using System.Globalization;
using System.Text.Json;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Membership;
using Ledger.Wire;

namespace Ledger.Contracts.Genesis;

/// <summary>Reads a genesis document from JSON and turns it into the network configuration and organisations.</summary>
public static class GenesisLoader
{
    private const long DayMs = 86_400_000;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field must be an error, not a silently missing rule.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        // What is left out takes its default when read: a written document shows only what it sets.
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static GenesisDocument Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<GenesisDocument>(json, JsonOptions) ?? throw new GenesisException("the document is empty");
        }
        catch (JsonException e)
        {
            throw new GenesisException($"not a valid genesis document: {e.Message}", e);
        }
    }

    public static string Write(GenesisDocument document) => JsonSerializer.Serialize(document, JsonOptions);

    /// <summary>The configuration and organisations a genesis document describes, checked.</summary>
    public static (NetworkConfig Config, IReadOnlyList<Organisation> Organisations) Load(GenesisDocument doc)
    {
        var config = new NetworkConfig
        {
            ChainId = doc.ChainId ?? "",
            GenesisTimeMs = ParseTime(doc.GenesisTime),
            RetroactiveWindowMs = doc.RetroactiveWindowDays * DayMs,
            Limits = ToLimits(doc.Limits ?? new GenesisLimits()),
            VerificationDeadlineMs = doc.VerificationDeadlineMs,
        };
        config.Units.AddRange(doc.Units ?? []);
        config.Forms.AddRange((doc.Forms ?? []).Select(f => new FormRule
        {
            FormType = f.FormType,
            CriterionRequired = f.CriterionRequired,
            Criteria = { f.Criteria ?? [] },
            RequiredFields = { f.RequiredFields ?? [] },
        }));
        config.Checkpoints.AddRange((doc.Checkpoints ?? []).Select(c => new CheckpointInfo
        {
            Code = c.Code,
            Name = c.Name,
            Country = c.Country,
            GaugeMm = c.GaugeMm,
            Kind = ParseKind(c.Kind, c.Code),
        }));
        config.Validators.AddRange((doc.Validators ?? []).Select(v => new Validator
        {
            OrganisationId = v.Organisation,
            Key = ParseKey(v.Key, $"validator '{v.Organisation}'"),
            Power = v.Power,
        }));
        var organisations = (doc.Organisations ?? []).Select(ToOrganisation).ToArray();
        // Checked here so that a bad document fails when loaded, not when the first block runs.
        GenesisState.Entries(config, organisations);
        return (config, organisations);
    }

    private static Organisation ToOrganisation(GenesisOrganisation o)
    {
        var org = new Organisation { Id = o.Id ?? "", Name = o.Name ?? "", Country = o.Country ?? "" };
        foreach (var name in o.Roles ?? [])
        {
            if (!RoleNames.TryParse(name, out var role))
            {
                throw new GenesisException($"organisation '{o.Id}': unknown role '{name}'; roles are {string.Join(", ", RoleNames.All)}");
            }
            org.Roles.Add(role);
        }
        org.Checkpoints.AddRange(o.Checkpoints ?? []);
        org.Keys.AddRange((o.Keys ?? []).Select(k => ParseKey(k, $"organisation '{o.Id}'")));
        return org;
    }

    private static PublicKey ParseKey(string text, string whose)
    {
        try
        {
            return PublicKeyText.Parse(text);
        }
        catch (FormatException e)
        {
            throw new GenesisException($"{whose}: {e.Message}", e);
        }
    }

    private static long ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new GenesisException($"genesisTime '{text}' is not an ISO 8601 time such as 2026-11-25T00:00:00Z");

    private static CheckpointKind ParseKind(string kind, string code) => kind switch
    {
        "rail-border" => CheckpointKind.RailBorder,
        "road-border" => CheckpointKind.RoadBorder,
        "port" => CheckpointKind.Port,
        "inland-terminal" => CheckpointKind.InlandTerminal,
        _ => throw new GenesisException($"checkpoint '{code}': kind '{kind}' is not rail-border, road-border, port or inland-terminal"),
    };

    private static Limits ToLimits(GenesisLimits l) => new()
    {
        TxBytesMax = l.TxBytesMax,
        StringCharsMax = l.StringCharsMax,
        GoodsLinesMax = l.GoodsLinesMax,
        ListItemsMax = l.ListItemsMax,
    };
}
