using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ledger.Node.Devnet;

namespace Ledger.Node.Tests.Docs;

/// <summary>
/// docs/GENESIS.md shows what `ledger init --validators 1` writes; it must stay so. Keys are fresh and the
/// genesis time moves with each run, so both are compared by their form only.
/// </summary>
public sealed partial class GenesisExampleTests
{
    [Fact]
    public async Task The_example_in_the_genesis_document_is_what_ledger_init_writes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ledger-genesis-doc-" + Guid.NewGuid().ToString("N"));
        try
        {
            await NetworkLayout.WriteAsync(folder, 1, 7101, LocalNetwork.DefaultChainId, CancellationToken.None);
            var written = Normalise(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, NetworkLayout.GenesisFile)))!);

            var documented = Normalise(JsonNode.Parse(Example())!);

            JsonNode.DeepEquals(documented, written).Should().BeTrue(
                $"docs/GENESIS.md's example should be what ledger init writes:\n{written.ToJsonString()}\nbut it is\n{documented.ToJsonString()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every key as its suite alone, and the genesis time as its form.</summary>
    private static JsonNode Normalise(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToArray())
                {
                    o[name] = name == "genesisTime" ? Time().Replace(value!.GetValue<string>(), "<time>") : value is null ? null : Normalise(value.DeepClone());
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = a[i] is { } item ? Normalise(item.DeepClone()) : null;
                }
                return a;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return JsonValue.Create(Key().Replace(text, "$1:<key>"));
            default:
                return node;
        }
    }

    private static string Example()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Ledger.sln")))
        {
            dir = dir.Parent;
        }
        var genesis = File.ReadAllText(Path.Combine(dir.FullName, "docs", "GENESIS.md"));
        var start = genesis.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        return genesis[start..genesis.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"^([a-z0-9]+):[0-9a-f]{64,}$")]
    private static partial Regex Key();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]
    private static partial Regex Time();
}
