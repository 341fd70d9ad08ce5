using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ledger.Node.Cli;

/// <summary>
/// What `ledger keys new` prints so that a new key can be registered without writing code: the change file of
/// `ledger gov propose` that adds it to its organisation, ready to save.
/// </summary>
public static class KeyProposal
{
    /// <summary>The add-key change file for the key, or null when no organisation was named.</summary>
    public static JsonObject? AddKey(string? organisation, string publicKeyText) => organisation is null ? null : new JsonObject
    {
        ["change"] = new JsonObject { ["addKey"] = new JsonObject { ["organisationId"] = organisation, ["key"] = publicKeyText } },
        ["reason"] = $"new signing key of {organisation}",
    };

    public static string Text(string? organisation, JsonObject? change) => change is null
        ? "to register it, give --organisation ORG to print its change file, or put it in a change file (docs/CLI.md, \"Governance\")"
        : $"""
          to register it, a governing member (chamber or customs) saves this as add-key.json and runs
            ledger gov propose add-key.json --key <that member's key file>
          and the others approve it with `ledger gov approve <proposal id>` (to replace a key of {organisation}, make it a
          rotateKey with oldKey; for a new organisation, put the key in an addOrganisation change: docs/examples/gov-add-organisation.json):
          {change.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}
          """;
}
