using System.Security.Cryptography;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// SHA-256, the one hash function of the ledger: ids, roots, tree nodes. <c>SHA256.HashData</c> looks the digest
/// up in OpenSSL and clears OpenSSL's error queue on every call: five to seven times the cost of the digest itself
/// for the 33- to 65-byte inputs of tree and Merkle nodes (docs/PERFORMANCE.md, "SHA-256"). Where Linux's
/// libcrypto 3 is loaded, the digest is computed through its supported EVP interface with the algorithm fetched once
/// and a context kept per thread (<see cref="OpenSslSha256"/>); elsewhere through <c>SHA256.HashData</c>. Both compute
/// SHA-256: the tests compare them and check the known answers.
/// </summary>
public static class Sha256
{
    public const int DigestBytes = 32;

    private static readonly OpenSslSha256? Native = OpenSslSha256.TryLoad();

    /// <summary>Whether hashes are computed through libcrypto's EVP interface directly rather than through .NET's.</summary>
    public static bool CallsLibcryptoDirectly => Native is not null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, DigestBytes, nameof(digest));
        if (Native is null)
        {
            SHA256.HashData(data, digest);
            return;
        }
        Native.Hash(data, digest);
    }
}
