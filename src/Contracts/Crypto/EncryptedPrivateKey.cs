using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// A private key sealed with a passphrase: scrypt derives a 256-bit key from the passphrase and a random salt,
/// AES-256-GCM encrypts the private key with it under a random nonce. The associated data binds the sealed key
/// to the file's other members (suite, public key, organisation), so none of them can be swapped unnoticed.
/// </summary>
public sealed record EncryptedPrivateKey(int ScryptLogN, int ScryptR, int ScryptP, byte[] Salt, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    /// <summary>scrypt N = 2^17, r = 8, p = 1: 128 MiB and about 0.8 s a derivation on this project's machines
    /// (OWASP's minimum for scrypt); a guess at the passphrase costs an attacker the same.</summary>
    public const int DefaultLogN = 17;
    public const int DefaultR = 8;
    public const int DefaultP = 1;

    // A file names its own cost; these bounds keep a hostile file from asking for gigabytes or minutes.
    public const int LogNMin = 10;
    public const int LogNMax = 20;
    public const int RMax = 16;
    public const int PMax = 4;
    public const long ScryptBytesMax = 256L * 1024 * 1024;

    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    /// <summary>Seals <paramref name="secret"/> under <paramref name="passphrase"/> (its UTF-8 bytes, as given).</summary>
    /// <exception cref="ArgumentException">The passphrase is empty, or the cost is out of bounds.</exception>
    public static EncryptedPrivateKey Seal(ReadOnlySpan<byte> secret, string passphrase, ReadOnlySpan<byte> associatedData,
        int logN = DefaultLogN, int r = DefaultR, int p = DefaultP)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (CostProblem(logN, r, p) is { } problem)
        {
            throw new ArgumentException(problem, nameof(logN));
        }
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[secret.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var key = Derive(passphrase, salt, logN, r, p);
        try
        {
            using var aes = new AesGcm(key, tag.Length);
            aes.Encrypt(nonce, secret, ciphertext, tag, associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
        return new EncryptedPrivateKey(logN, r, p, salt, nonce, ciphertext, tag);
    }

    /// <summary>The sealed secret, or null when the passphrase (or the associated data) is not the one it was sealed with.</summary>
    /// <exception cref="ArgumentException">The cost is out of bounds, or a part has the wrong length.</exception>
    public byte[]? Open(string passphrase, ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (CostProblem(ScryptLogN, ScryptR, ScryptP) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        if (Salt.Length < SaltBytes || Nonce.Length != AesGcm.NonceByteSizes.MaxSize || Tag.Length != AesGcm.TagByteSizes.MaxSize)
        {
            throw new ArgumentException($"the salt needs at least {SaltBytes} bytes, the nonce {AesGcm.NonceByteSizes.MaxSize}, the tag {AesGcm.TagByteSizes.MaxSize}");
        }
        var key = Derive(passphrase, Salt, ScryptLogN, ScryptR, ScryptP);
        var secret = new byte[Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, Tag.Length);
            aes.Decrypt(Nonce, Ciphertext, Tag, secret, associatedData);
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Why a cost is refused, or null.</summary>
    public static string? CostProblem(int logN, int r, int p)
    {
        if (logN is < LogNMin or > LogNMax || r is < 1 or > RMax || p is < 1 or > PMax)
        {
            return $"scrypt cost logN {logN}, r {r}, p {p} is outside logN {LogNMin}-{LogNMax}, r 1-{RMax}, p 1-{PMax}";
        }
        var bytes = 128L * r << logN;
        return bytes > ScryptBytesMax ? $"scrypt cost logN {logN}, r {r} needs {bytes >> 20} MiB, more than {ScryptBytesMax >> 20}" : null;
    }

    private static byte[] Derive(string passphrase, byte[] salt, int logN, int r, int p)
    {
        var bytes = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            return SCrypt.Generate(bytes, salt, 1 << logN, r, p, KeyBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
