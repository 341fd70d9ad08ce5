using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// SHA-256, the one hash function of the ledger: ids, roots, tree nodes. <c>SHA256.HashData</c> reaches OpenSSL
/// through its EVP layer and clears OpenSSL's error queue on every call, ~370 ns for a 65-byte tree node on this
/// machine where the digest itself takes ~60 (docs/PERFORMANCE.md, "Eighth session"). Where the platform's
/// libcrypto 3 exports the low-level SHA-256 functions, they are called directly; elsewhere <c>SHA256.HashData</c>.
/// Both compute SHA-256 (the tests compare them, and check the known answers).
/// </summary>
public static unsafe class Sha256
{
    public const int DigestBytes = 32;

    // OpenSSL's SHA256_CTX is 112 bytes: eight state words, the bit count, a 64-byte block, two counters.
    private const int ContextBytes = 128;

    private static readonly delegate* unmanaged<byte*, int> Init;
    private static readonly delegate* unmanaged<byte*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged<byte*, byte*, int> Final;

    static Sha256()
    {
        // The same libcrypto .NET's own cryptography loads on Linux; loading it again returns the loaded one.
        if (OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out var library)
            && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
            && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
            && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
        {
            Init = (delegate* unmanaged<byte*, int>)init;
            Update = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
            Final = (delegate* unmanaged<byte*, byte*, int>)final;
        }
    }

    /// <summary>Whether hashes are computed by libcrypto's low-level functions rather than through .NET's.</summary>
    public static bool CallsLibcryptoDirectly => Init != null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, DigestBytes, nameof(digest));
        if (Init == null)
        {
            SHA256.HashData(data, digest);
            return;
        }
        var context = stackalloc byte[ContextBytes];
        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            if (Init(context) != 1 || Update(context, input, (nuint)data.Length) != 1 || Final(output, context) != 1)
            {
                throw new CryptographicException("libcrypto failed to compute a SHA-256 digest");
            }
        }
    }
}
