using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Ledger.Wire;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// Ed25519 (RFC 8032, pure: the message itself is signed, no pre-hash, no context) with BouncyCastle.
/// Signatures are deterministic by construction.
/// </summary>
internal sealed class Ed25519Suite : ISignatureSuite
{
    public const int SeedLength = 32;

    /// <summary>Decoded keys kept at most: members' keys are few, and a flood of strangers' keys only empties the cache.</summary>
    public const int DecodedKeysMax = 4_096;

    // Decoding a key (a point decompression) is a fifth of a verification; a ledger sees the same few keys
    // again and again. Only speed depends on the cache: a key decodes to the same point every time.
    private readonly ConcurrentDictionary<Hash32, Ed25519.PublicPoint> _decodedKeys = new();

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
        var publicKey = new PublicKey
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
        if (signature.Length != SignatureLength || !TryDecodedKey(publicKey, out var point))
        {
            return false;
        }
        // Straight to RFC 8032 verification over the caller's bytes: Ed25519Signer would first copy the message
        // into a buffer of its own, and the parameters' Verify takes arrays.
        return Ed25519.Verify(signature, point, message);
    }

    private bool TryDecodedKey(ReadOnlySpan<byte> publicKey, [NotNullWhen(true)] out Ed25519.PublicPoint? point)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            point = null;
            return false;
        }
        var key = new Hash32(publicKey);
        if (_decodedKeys.TryGetValue(key, out point))
        {
            return true;
        }
        point = Decode(publicKey);
        if (point is null)
        {
            return false;
        }
        if (_decodedKeys.Count >= DecodedKeysMax)
        {
            _decodedKeys.Clear();
        }
        _decodedKeys[key] = point;
        return true;
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => publicKey.Length == PublicKeyLength && Decode(publicKey) is not null;

    /// <summary>The key's point, or null for an encoding that is not on the curve (the check Ed25519PublicKeyParameters makes).</summary>
    private static Ed25519.PublicPoint? Decode(ReadOnlySpan<byte> publicKey) => Ed25519.ValidatePublicKeyPartialExport(publicKey);

    private Ed25519PrivateKeyParameters PrivateParameters(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"a {Suite} private key (seed) has {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }
        return new Ed25519PrivateKeyParameters(seed);
    }
}
