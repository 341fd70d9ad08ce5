using System.Text;

namespace Ledger.Client;

/// <summary>
/// State entries proven against one certified header: each key with its exact value bytes, or null
/// for a key proven absent. Keys the proof does not cover are not here.
/// </summary>
public sealed record ProvenState(ProvenHeader Header, IReadOnlyDictionary<string, byte[]?> Entries)
{
    /// <summary>True if the key was proven, present or absent.</summary>
    public bool Covers(string key) => Entries.ContainsKey(key);

    /// <summary>The proven value of the key (null when proven absent).</summary>
    /// <exception cref="UntrustedAnswerException">The proof does not cover the key.</exception>
    public byte[]? Value(string key) =>
        Entries.TryGetValue(key, out var value) ? value
            : throw new UntrustedAnswerException(UntrustedReason.EntryMissing, $"the proof does not cover key '{key}'");

    public override string ToString()
    {
        var text = new StringBuilder($"ProvenState at height {Header.Height}: ");
        text.AppendJoin(", ", Entries.Select(e => e.Value is null ? $"{e.Key} (absent)" : $"{e.Key} ({e.Value.Length} bytes)"));
        return text.ToString();
    }
}
