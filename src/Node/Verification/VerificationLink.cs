using System.Security.Cryptography;

namespace Ledger.Node.Verification;

/// <summary>
/// The link a QR code carries: the verification page, with the network pinned by its genesis document hash and the
/// certificate to show, both in the fragment so that no server ever sees them (PROTOCOL.md, "Verification links").
/// </summary>
public static class VerificationLink
{
    /// <summary>SHA-256 of the genesis document's exact bytes, lower-case hex: what a link pins a network by.</summary>
    public static string GenesisHash(byte[] genesisDocument) => Convert.ToHexStringLower(SHA256.HashData(genesisDocument));

    /// <param name="pageUrl">The page's address, e.g. "https://verify.kz-chamber.example/" (a fragment in it is dropped).</param>
    public static string Of(string pageUrl, string genesisHash, string certificateId)
    {
        var page = pageUrl.Split('#', 2)[0];
        return $"{page}#genesis={genesisHash}&cert={Uri.EscapeDataString(certificateId)}";
    }
}
