using Ledger.Node.Verification;

namespace Ledger.Node.Cli;

/// <summary>`cert show --qr`: the QR code of a certificate's verification link, for the printed certificate.</summary>
public static class QrFiles
{
    /// <summary>Writes the QR code (SVG or PNG, by the extension) and returns the link it carries.</summary>
    /// <exception cref="CliInputException">No page address or no genesis, an extension other than .svg or .png, or the file cannot be written.</exception>
    public static async Task<string> WriteAsync(FileInfo file, string? pageUrl, string? genesisPath, string certificateId, CancellationToken ct)
    {
        if (genesisPath is null)
        {
            throw new CliInputException("--qr needs --genesis FILE: the link pins the network by its genesis document's hash");
        }
        if (!Uri.TryCreate(pageUrl, UriKind.Absolute, out var page) || (page.Scheme != Uri.UriSchemeHttp && page.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliInputException("--qr needs --page URL, the verification page's http:// or https:// address, e.g. https://verify.ccpit.example/");
        }
        try
        {
            var link = VerificationLink.Of(page.AbsoluteUri, VerificationLink.GenesisHash(await File.ReadAllBytesAsync(genesisPath, ct)), certificateId);
            switch (file.Extension.ToLowerInvariant())
            {
                case ".svg":
                    await File.WriteAllTextAsync(file.FullName, QrImages.Svg(link), ct);
                    break;
                case ".png":
                    await File.WriteAllBytesAsync(file.FullName, QrImages.Png(link), ct);
                    break;
                default:
                    throw new CliInputException($"--qr {file.Name}: write .svg or .png");
            }
            return link;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--qr: {e.Message}", e);
        }
    }
}
