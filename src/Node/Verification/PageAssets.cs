using System.Collections.Frozen;

namespace Ledger.Node.Verification;

/// <summary>The verification page's static files, embedded in the node (Verification/Page): no build step, nothing on disk.</summary>
public static class PageAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    /// <summary>The file's bytes and content type, or null when the page has no such file.</summary>
    public static (byte[] Bytes, string ContentType)? Get(string name) =>
        Files.TryGetValue(name, out var bytes) ? (bytes, ContentTypes[Path.GetExtension(name)]) : null;

    public static IEnumerable<string> Names => Files.Keys;

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("page/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource["page/".Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
