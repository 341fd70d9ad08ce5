using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Ledger.Wire;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// Ed25519 (RFC 8032, pure: the message itself is signed, no pre-hash, no context) with BouncyCastle.
/// Signatures are deterministic by construction.
/// </summary>
internal sealed class Ed25519Suite : ISignatureSuite
{
    public const int SeedLength = 32;

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
        if (signature.Length != SignatureLength || !TryPublicParameters(publicKey, out var parameters))
        {
            return false;
        }
        var verifier = new Ed25519Signer();
        verifier.Init(false, parameters);
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => TryPublicParameters(publicKey, out _);

    private Ed25519PrivateKeyParameters PrivateParameters(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"a {Suite} private key (seed) has {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }
        return new Ed25519PrivateKeyParameters(seed);
    }

    private bool TryPublicParameters(
        ReadOnlySpan<byte> publicKey, [NotNullWhen(true)] out Ed25519PublicKeyParameters? parameters)
    {
        parameters = null;
        if (publicKey.Length != PublicKeyLength)
        {
            return false;
        }
        try
        {
            // The constructor decodes the point and refuses encodings that are not on the curve.
            parameters = new Ed25519PublicKeyParameters(publicKey);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
