using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Ledger.Wire;
using NSec.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// Ed25519 (RFC 8032, pure: the message itself is signed, no pre-hash, no context). Keys and signatures with
/// BouncyCastle, deterministic by construction; verification with libsodium (NSec), the same on every node and
/// auditor, in about three quarters of BouncyCastle's time: every node verifies every transaction.
/// libsodium is the stricter of the two (it refuses small-order keys and non-canonical encodings), so it refuses
/// nothing an honest signer makes.
/// </summary>
internal sealed class Ed25519Suite : ISignatureSuite
{
    public const int SeedLength = 32;

    /// <summary>Decoded keys kept at most: members' keys are few, and a flood of strangers' keys only empties the cache.</summary>
    public const int DecodedKeysMax = 4_096;

    // A ledger sees the same few keys again and again: import each once. Only speed depends on the cache: a key
    // imports to the same key every time.
    private readonly ConcurrentDictionary<Hash32, NSec.Cryptography.PublicKey> _decodedKeys = new();

    public static Ed25519Suite Instance { get; } = new();

    private Ed25519Suite()
    {
    }

    public KeySuite Suite => KeySuite.Ed25519;

    public int PublicKeyLength => 32;

    public int SignatureLength => 64;

    public KeyPair Generate() => FromPrivateKey(RandomNumberGenerator.GetBytes(SeedLength));

    public KeyPair FromPrivateKey(ReadOnlySpan<byte> secret)
    {
        var parameters = PrivateParameters(secret);
        var publicKey = new Ledger.Wire.PublicKey
        {
            Suite = Suite,
            Key = Google.Protobuf.ByteString.CopyFrom(parameters.GeneratePublicKey().GetEncoded()),
        };
        return new KeyPair(publicKey, new PrivateKey(Suite, secret.ToArray()));
    }

    public byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message)
    {
        SignatureSuites.RequireSuite(key, Suite);
        var signer = new Ed25519Signer();
        signer.Init(true, PrivateParameters(key.Bytes));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        return signature.Length == SignatureLength
            && TryDecodedKey(publicKey, out var key)
            && SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }

    private bool TryDecodedKey(ReadOnlySpan<byte> publicKey, [NotNullWhen(true)] out NSec.Cryptography.PublicKey? decoded)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            decoded = null;
            return false;
        }
        var key = new Hash32(publicKey);
        if (_decodedKeys.TryGetValue(key, out decoded))
        {
            return true;
        }
        if (Decode(publicKey) is null
            || !NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var imported)
            || imported is null)
        {
            decoded = null;
            return false;
        }
        decoded = imported;
        if (_decodedKeys.Count >= DecodedKeysMax)
        {
            _decodedKeys.Clear();
        }
        _decodedKeys[key] = decoded;
        return true;
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => publicKey.Length == PublicKeyLength && Decode(publicKey) is not null;

    /// <summary>The key's point, or null for an encoding that is not on the curve (the check Ed25519PublicKeyParameters makes).</summary>
    private static BcEd25519.PublicPoint? Decode(ReadOnlySpan<byte> publicKey) => BcEd25519.ValidatePublicKeyPartialExport(publicKey);

    private Ed25519PrivateKeyParameters PrivateParameters(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"a {Suite} private key (seed) has {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }
        return new Ed25519PrivateKeyParameters(seed);
    }
}
