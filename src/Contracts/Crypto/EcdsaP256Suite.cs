using System.Security.Cryptography;
using Google.Protobuf;
using Ledger.Wire;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// ECDSA over NIST P-256 with SHA-256 of the message, signed and verified by .NET's ECDsa (OpenSSL on
/// Linux): the fastest verification available. Signatures are IEEE P1363 r || s with low s (s ≤ n/2, as
/// secp256k1 here and Bitcoin's BIP 62): ECDSA accepts both s and n − s, so without the rule anyone could
/// turn a transaction's envelope into a second one under the same id. Nonces are random: .NET offers no
/// RFC 6979 mode, so signing the same message twice gives two different valid signatures.
/// </summary>
internal sealed class EcdsaP256Suite : ISignatureSuite
{
    // BouncyCastle's parameters serve only to range-check secrets and derive public keys portably;
    // the signing and verification themselves are .NET's.
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("secp256r1");
    private static readonly Org.BouncyCastle.Math.BigInteger HalfOrder = Curve.N.ShiftRight(1);

    public static EcdsaP256Suite Instance { get; } = new();

    private EcdsaP256Suite()
    {
    }

    public KeySuite Suite => KeySuite.EcdsaP256;

    public int PublicKeyLength => EcKeys.UncompressedPointLength;

    public int SignatureLength => 2 * EcKeys.ScalarLength;

    public KeyPair Generate() => FromPrivateKey(EcKeys.RandomScalar(Curve.N));

    public KeyPair FromPrivateKey(ReadOnlySpan<byte> secret)
    {
        var d = EcKeys.ParseScalar(Suite, secret, Curve.N);
        var q = new FixedPointCombMultiplier().Multiply(Curve.G, d);
        var publicKey = new PublicKey { Suite = Suite, Key = ByteString.CopyFrom(EcKeys.EncodeUncompressed(q)) };
        return new KeyPair(publicKey, new PrivateKey(Suite, secret.ToArray()));
    }

    public byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message)
    {
        SignatureSuites.RequireSuite(key, Suite);
        var pair = FromPrivateKey(key.Bytes);
        var point = pair.Public.Key.Span;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = key.Bytes,
            Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..].ToArray() },
        });
        var signature = ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var s = new Org.BouncyCastle.Math.BigInteger(1, signature, EcKeys.ScalarLength, EcKeys.ScalarLength);
        if (s.CompareTo(HalfOrder) > 0)
        {
            EcKeys.ToFixed(Curve.N.Subtract(s)).CopyTo(signature, EcKeys.ScalarLength);
        }
        return signature;
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength
            || publicKey.Length != PublicKeyLength
            || publicKey[0] != EcKeys.UncompressedPrefix
            || new Org.BouncyCastle.Math.BigInteger(1, signature[EcKeys.ScalarLength..]).CompareTo(HalfOrder) > 0)
        {
            return false;
        }
        try
        {
            // Importing validates the point: OpenSSL refuses coordinates that are not on the curve.
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = publicKey[1..33].ToArray(), Y = publicKey[33..].ToArray() },
            });
            return ecdsa.VerifyData(
                message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        EcKeys.TryDecodeUncompressed(Curve.Curve, publicKey) is not null;
}
