using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Node.Chain;

namespace Ledger.Node.Hosting;

/// <summary>
/// One node's configuration file (JSON), with any setting overridden from the environment or the command
/// line (<see cref="ConfigOverrides"/>). Relative paths are relative to the file's folder, wherever they
/// were given, so a network folder written by `ledger init` can be moved as a whole. A read replica (no
/// validator key) names a member key file: validators serve block sync only to validators and members.
/// With <see cref="Tls"/> the node serves https and calls its peers over https; without it, plain HTTP/2
/// on a loopback address only (devnet, demo, tests).
/// </summary>
public sealed record NodeConfig(
    string NodeId,
    string Listen,
    string DataDir,
    string GenesisFile,
    string? ValidatorKeyFile,
    IReadOnlyList<PeerConfig> Peers,
    MempoolConfig? Mempool = null,
    BlockLimits? Block = null,
    ConsensusTimeouts? Consensus = null,
    MetricsConfig? Metrics = null,
    LoggingConfig? Logging = null,
    string? MemberKeyFile = null,
    TlsConfig? Tls = null,
    VerificationPageConfig? VerificationPage = null,
    bool JoiningValidator = false)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // Overrides arrive as text: `--set Mempool:TransactionsMax=100000`.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    /// <exception cref="InvalidDataException">The file is missing or malformed, or an override is; the message names the file, the key and where it was set.</exception>
    public static NodeConfig Load(string path, ConfigOverrides? overrides = null)
    {
        overrides ??= ConfigOverrides.None;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }) as JsonObject ?? throw new InvalidDataException("the file is not a JSON object");
            overrides.ApplyTo(json);
            var config = json.Deserialize<NodeConfig>(JsonOptions)
                ?? throw new InvalidDataException("the file is empty");
            config.Metrics?.EndPoint();
            config.VerificationPage?.EndPoint();
            config.Logging?.Levels();
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            // A required path left out stays null (the JSON reader does not enforce it): NodeConfigValidation names it.
            return config with
            {
                DataDir = Resolve(config.DataDir, folder)!,
                GenesisFile = Resolve(config.GenesisFile, folder)!,
                ValidatorKeyFile = Resolve(config.ValidatorKeyFile, folder),
                MemberKeyFile = Resolve(config.MemberKeyFile, folder),
                Tls = config.Tls is not { } tls ? null : new TlsConfig(Resolve(tls.CertificateFile, folder)!, Resolve(tls.KeyFile, folder)!, Resolve(tls.CaFile, folder)),
            };
        }
        catch (JsonException e) when (overrides.At(e.Path) is { } setting)
        {
            // System.Text.Json names the enclosing record, not the setting, when a value does not convert; and its
            // line and byte positions are those of the file with the overrides written in.
            var reason = e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? $"not a valid value for {setting.Key}"
                : UnknownSetting(e) ?? e.Message.Split(" | LineNumber", 2)[0];
            throw new InvalidDataException($"node config '{path}': {setting.Source} = '{setting.Value}' is refused: {reason}", e);
        }
        catch (JsonException e) when (UnknownSetting(e) is { } unknown)
        {
            throw new InvalidDataException($"node config '{path}': {unknown}", e);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidDataException($"node config '{path}': {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static string? Resolve(string? path, string folder) => string.IsNullOrEmpty(path) ? path : Path.GetFullPath(path, folder);

    // System.Text.Json names a misspelt setting by the record type it could not map it to; a person needs the key
    // (`Mempool:TransactionMax`) and the name meant.
    private static string? UnknownSetting(JsonException e)
    {
        const string Marker = "could not be mapped to any .NET member contained in type '";
        var at = e.Message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || e.Path is null)
        {
            return null;
        }
        var type = typeof(NodeConfig).Assembly.GetType(e.Message[(at + Marker.Length)..].Split('\'')[0]);
        var key = e.Path.TrimStart('$', '.').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Replace("'", "", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
        var names = type?.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name).ToArray() ?? [];
        // Spelt as `--set` and the docs spell keys; the file's camelCase names the same setting.
        var section = string.Join(':', key[..^1].Select(k => char.ToUpperInvariant(k[0]) + k[1..]));
        var prefix = section.Length == 0 ? "" : section + ":";
        var meant = Cli.Spelling.Closest(key[^1], names);
        var known = string.Join(", ", names);
        return $"unknown setting '{prefix}{key[^1]}'" + (meant is null ? $"; the settings here are {known}" : $" (did you mean '{prefix}{meant}'?)");
    }
}

/// <summary>Another validator this node talks to.</summary>
public sealed record PeerConfig(int ValidatorIndex, string Endpoint);

/// <summary>
/// How much the mempool holds before it answers ResourceExhausted. A pending 1 KiB certificate holds ~5 KB of
/// heap once decoded (~4.4 bytes per byte on the wire): the defaults keep a full pool near 50 MB, under a
/// quarter of the node's 384 MiB heap limit, and still five full blocks deep. Raise them only with the limit.
/// </summary>
public sealed record MempoolConfig(int TransactionsMax = 10_000, long BytesMax = 16L * 1024 * 1024);

/// <summary>
/// Consensus timing, in milliseconds. <paramref name="BlockTimeAheadMaxMs"/>: how far ahead of this node's clock a fresh
/// proposal's block time may be for this node to prevote it (PROTOCOL.md, "Block time"); keep validators' clocks closer
/// than that (NTP), or their correct blocks get nil prevotes. <paramref name="EmptyBlockIntervalMs"/>: the heartbeat — with no
/// transaction waiting, validators make an empty block this long after the last one (0: never; blocks only carry transactions).
/// </summary>
public sealed record ConsensusTimeouts(
    long ProposeBaseMs = 3_000,
    long ProposeDeltaMs = 500,
    long PrevoteBaseMs = 1_000,
    long PrevoteDeltaMs = 500,
    long PrecommitBaseMs = 1_000,
    long PrecommitDeltaMs = 500,
    long RebroadcastMs = 1_000,
    long EmptyBlockIntervalMs = 60_000,
    long BlockTimeAheadMaxMs = 2_000);
