using System.Collections.Frozen;
using System.Text;

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

    /// <summary>
    /// The page as one file, its style and scripts written in: saved to disk it checks proof bundles with no network
    /// (a browser loads no script file beside a page opened from disk).
    /// </summary>
    public static byte[] OfflinePage()
    {
        string Text(string name) => Encoding.UTF8.GetString(Files[name]);
        var page = Text("index.html")
            .Replace("<link rel=\"stylesheet\" href=\"page.css\">", $"<style>\n{Text("page.css")}</style>", StringComparison.Ordinal)
            .Replace("<script src=\"verify.js\"></script>", $"<script>\n{Text("verify.js")}</script>", StringComparison.Ordinal)
            .Replace("<script src=\"page.js\"></script>", $"<script>\n{Text("page.js")}</script>", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(page);
    }

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
