using Google.Protobuf;
using Ledger.Wire;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// SM2 signatures with SM3 (GB/T 32918.2, GB/T 32905) on curve sm2p256v1, with BouncyCastle's SM2Signer:
/// the signer hashes Z || message where Z binds the default user id "1234567812345678" and the public
/// key. Signatures are plain r || s. Nonces are random: BouncyCastle's SM2Signer offers no deterministic
/// nonce, so signing twice gives two different valid signatures.
/// </summary>
internal sealed class Sm2Suite : ISignatureSuite
{
    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("sm2p256v1");
    private static readonly ECDomainParameters Domain = new(Curve);

    // SM2 signing inverts 1 + d, so d = n - 1 is excluded as well as 0 (GB/T 32918.1, 6.1).
    private static readonly BigInteger SecretUpperExclusive = Curve.N.Subtract(BigInteger.One);

    public static Sm2Suite Instance { get; } = new();

    private Sm2Suite()
    {
    }

    public KeySuite Suite => KeySuite.Sm2Sm3;

    public int PublicKeyLength => EcKeys.UncompressedPointLength;

    public int SignatureLength => 2 * EcKeys.ScalarLength;

    public KeyPair Generate() => FromPrivateKey(EcKeys.RandomScalar(SecretUpperExclusive));

    public KeyPair FromPrivateKey(ReadOnlySpan<byte> secret)
    {
        var d = EcKeys.ParseScalar(Suite, secret, SecretUpperExclusive);
        var q = new FixedPointCombMultiplier().Multiply(Curve.G, d);
        var publicKey = new PublicKey { Suite = Suite, Key = ByteString.CopyFrom(EcKeys.EncodeUncompressed(q)) };
        return new KeyPair(publicKey, new PrivateKey(Suite, secret.ToArray()));
    }

    public byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message)
    {
        SignatureSuites.RequireSuite(key, Suite);
        var d = EcKeys.ParseScalar(Suite, key.Bytes, SecretUpperExclusive);
        // Without ParametersWithID the signer uses the default user id "1234567812345678".
        var signer = new SM2Signer(PlainDsaEncoding.Instance);
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }
        var q = EcKeys.TryDecodeUncompressed(Curve.Curve, publicKey);
        if (q is null)
        {
            return false;
        }
        var verifier = new SM2Signer(PlainDsaEncoding.Instance);
        verifier.Init(false, new ECPublicKeyParameters(q, Domain));
        verifier.BlockUpdate(message);
        // SM2Signer checks r and s in [1, n-1] and returns false on any decoding failure.
        return verifier.VerifySignature(signature.ToArray());
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        EcKeys.TryDecodeUncompressed(Curve.Curve, publicKey) is not null;
}
