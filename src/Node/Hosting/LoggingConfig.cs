using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// How the node logs to standard output: `simple` (one line per event, for people) or `json` (one JSON
/// object per event, for a log collector), and the least level per category as in ASP.NET Core's
/// `Logging:LogLevel` (`Default`, or a category prefix such as `Ledger.Node.Network`).
/// </summary>
public sealed record LoggingConfig(string Format = LoggingConfig.Simple, IReadOnlyDictionary<string, string>? LogLevel = null)
{
    public const string Simple = "simple";
    public const string Json = "json";

    /// <exception cref="InvalidDataException">An unknown format or level; the message names the key.</exception>
    public IReadOnlyList<(string Category, LogLevel Level)> Levels()
    {
        if (Format is not (Simple or Json))
        {
            throw new InvalidDataException($"Logging:Format '{Format}' is neither '{Simple}' nor '{Json}'");
        }
        return (LogLevel ?? new Dictionary<string, string>()).Select(kv =>
            Enum.TryParse<LogLevel>(kv.Value, ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(kv.Value, out _)
                ? (kv.Key, level)
                : throw new InvalidDataException($"Logging:LogLevel:{kv.Key} '{kv.Value}' is not a level: Trace, Debug, Information, Warning, Error, Critical or None"))
            .ToArray();
    }
}
