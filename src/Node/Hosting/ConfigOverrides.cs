using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Ledger.Node.Hosting;

/// <summary>
/// Settings given outside the config file, read with Microsoft.Extensions.Configuration: environment
/// variables `LEDGER_Section__Key=value` and command-line `--set Section:Key=value`, the command line
/// winning over the environment, both over the file. They are written into the file's JSON before it is
/// read, so <see cref="NodeConfig"/> stays the one description of the settings and the file's strictness
/// (unknown names and bad values are errors naming them) covers them too.
/// </summary>
public sealed record ConfigOverrides(IReadOnlyList<ConfigOverride> Settings, IReadOnlyList<string> IgnoredEnvironment)
{
    public const string EnvironmentPrefix = "LEDGER_";

    public static ConfigOverrides None { get; } = new([], []);

    private static readonly HashSet<string> ClientVariables = new(
        [Cli.CommonOptions.NodeVariable, Cli.CommonOptions.GenesisVariable, Cli.CommonOptions.KeyVariable, Cli.CommonOptions.CaVariable],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The process's environment and the `--set` values of the command line.</summary>
    /// <exception cref="InvalidDataException">A `--set` value is not `Key=value`.</exception>
    public static ConfigOverrides Read(IReadOnlyList<string> commandLineSets)
    {
        var malformed = commandLineSets.FirstOrDefault(s => s.IndexOf('=', StringComparison.Ordinal) <= 0);
        if (malformed is not null)
        {
            throw new InvalidDataException($"--set '{malformed}': expected Section:Key=value, e.g. Mempool:TransactionsMax=100000");
        }
        var environment = new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build();
        var commandLine = new ConfigurationBuilder().AddCommandLine([.. commandLineSets]).Build();
        // Other tools share the LEDGER_ prefix (LEDGER_NETTEST_KEEP): only names under a setting of the node are
        // the node's, and those are checked as strictly as the file.
        var settings = new List<ConfigOverride>();
        var ignored = new List<string>();
        foreach (var (key, value) in Leaves(environment))
        {
            var variable = EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);
            if (ClientVariables.Contains(variable))
            {
                // The command line's own variables (docs/CLI.md has operators export them): not the node's, and no mistake.
                continue;
            }
            if (IsSetting(key))
            {
                settings.Add(new ConfigOverride(key, value, $"environment variable {variable}"));
            }
            else
            {
                ignored.Add(variable);
            }
        }
        settings.AddRange(Leaves(commandLine).Select(l => new ConfigOverride(l.Key, l.Value, $"--set {l.Key}")));
        return new ConfigOverrides(settings, ignored);
    }

    /// <summary>Writes every setting into the file's JSON, in order, so a later one wins.</summary>
    /// <exception cref="InvalidDataException">A key walks into a value or leaves a gap in a list.</exception>
    public void ApplyTo(JsonObject file)
    {
        foreach (var setting in Settings)
        {
            var path = setting.Key.Split(':');
            JsonNode parent = file;
            for (var i = 0; i < path.Length; i++)
            {
                var last = i == path.Length - 1;
                // An empty value removes the setting, e.g. `--set ValidatorKeyFile=` runs a validator's folder as a read replica.
                JsonNode? value = last ? (setting.Value.Length == 0 ? null : JsonValue.Create(setting.Value))
                    : int.TryParse(path[i + 1], out _) ? new JsonArray() : new JsonObject();
                parent = (parent switch
                {
                    JsonObject o => SetMember(o, path[i], value, last),
                    JsonArray a => SetElement(a, path[i], value, last, setting),
                    _ => throw new InvalidDataException($"{setting.Source}: '{string.Join(':', path[..i])}' is a value, not a section"),
                })!;
            }
        }
    }

    /// <summary>The override that set the setting at a JSON path such as `$.mempool.transactionsMax`, if any.</summary>
    public ConfigOverride? At(string? jsonPath)
    {
        if (jsonPath is null)
        {
            return null;
        }
        var key = jsonPath.TrimStart('$', '.').Replace("[", ":", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Replace("'", "", StringComparison.Ordinal).Replace('.', ':');
        return Settings.LastOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(s.Key + ":", StringComparison.OrdinalIgnoreCase)
            // An unknown section is reported at its own name, above the setting that brought it in.
            || s.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));
    }

    private static JsonNode? SetMember(JsonObject o, string segment, JsonNode? value, bool last)
    {
        // The file's own spelling of the name, so the override replaces it rather than adding a second member.
        var name = o.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, segment, StringComparison.OrdinalIgnoreCase)) ?? segment;
        if (last || o[name] is null)
        {
            o[name] = value;
        }
        return o[name];
    }

    private static JsonNode? SetElement(JsonArray a, string segment, JsonNode? value, bool last, ConfigOverride setting)
    {
        if (!int.TryParse(segment, out var index) || index < 0 || index > a.Count)
        {
            throw new InvalidDataException($"{setting.Source}: '{segment}' is not an index of a list of {a.Count} (0 to {a.Count})");
        }
        if (index == a.Count)
        {
            a.Add(value);
        }
        else if (last || a[index] is null)
        {
            a[index] = value;
        }
        return a[index];
    }

    private static bool IsSetting(string key)
    {
        var top = key.Split(':')[0];
        return typeof(NodeConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Any(p => string.Equals(p.Name, top, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<KeyValuePair<string, string>> Leaves(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && !configuration.GetSection(kv.Key).GetChildren().Any())
            .Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value!))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal);
}
