using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>
/// Reads a governance change file: the proto3 JSON of <c>ledger.v1.ProposeMembershipChange</c> (a change and its reason),
/// where a public key may also be written as the text <c>ledger keys new</c> prints, <c>"ed25519:3b6a…"</c>, instead of
/// <c>{"suite": "KEY_SUITE_ED25519", "key": "&lt;base64&gt;"}</c>.
/// </summary>
public static class ChangeFiles
{
    // The fields of MembershipChange's messages that hold a PublicKey (or a list of them), in either JSON spelling.
    private static readonly HashSet<string> KeyFields = new(StringComparer.Ordinal) { "key", "keys", "oldKey", "newKey", "old_key", "new_key" };

    // Unknown fields are errors: a misspelt "organisationID" must not leave a field empty.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <exception cref="CliInputException">The file is missing, not JSON, not a ProposeMembershipChange, or a key text is malformed; the message names the file.</exception>
    public static async Task<ProposeMembershipChange> ReadAsync(FileInfo file, CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{file.FullName}: {e.Message}", e);
        }
        try
        {
            var node = JsonNode.Parse(text) ?? throw new CliInputException($"{file.FullName}: empty; expected a ledger.v1.ProposeMembershipChange in proto3 JSON");
            ExpandKeys(node, file);
            var proposal = Parser.Parse<ProposeMembershipChange>(node.ToJsonString());
            if (proposal.Change is null || proposal.Change.ChangeCase == MembershipChange.ChangeOneofCase.None)
            {
                throw new CliInputException($"{file.FullName}: \"change\" names no change; see docs/examples/gov-*.json");
            }
            return proposal;
        }
        catch (Exception e) when (e is JsonException or InvalidJsonException or InvalidProtocolBufferException or FormatException or InvalidOperationException)
        {
            throw new CliInputException($"{file.FullName}: not a valid ledger.v1.ProposeMembershipChange in proto3 JSON: {e.Message}", e);
        }
    }

    /// <summary>The file's JSON for a change: what <c>ledger keys new</c> prints, ready to save and propose.</summary>
    public static string Format(ProposeMembershipChange proposal) =>
        JsonNode.Parse(JsonFormatter.Default.Format(proposal))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Replaces each key written as "suite:hex" by its proto3 JSON object. Base64 has no ':', so a PublicKey's own bytes are left alone.</summary>
    private static void ExpandKeys(JsonNode node, FileInfo file)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToArray())
                {
                    if (KeyFields.Contains(name) && value is JsonValue v && v.TryGetValue<string>(out var keyText) && keyText.Contains(PublicKeyText.Separator))
                    {
                        obj[name] = KeyObject(keyText, file);
                    }
                    else if (KeyFields.Contains(name) && value is JsonArray list)
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            if (list[i] is JsonValue item && item.TryGetValue<string>(out var itemText) && itemText.Contains(PublicKeyText.Separator))
                            {
                                list[i] = KeyObject(itemText, file);
                            }
                        }
                    }
                    else if (value is not null)
                    {
                        ExpandKeys(value, file);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        ExpandKeys(item, file);
                    }
                }
                break;
        }
    }

    private static JsonObject KeyObject(string text, FileInfo file)
    {
        if (!PublicKeyText.TryParse(text, out var key, out var error))
        {
            throw new CliInputException($"{file.FullName}: {error}");
        }
        return (JsonObject)JsonNode.Parse(JsonFormatter.Default.Format(key))!;
    }
}
