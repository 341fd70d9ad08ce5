using Google.Protobuf;
using Ledger.Wire;
using Org.BouncyCastle.Asn1.CryptoPro;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// GOST R 34.10-2012, 256 bits, on curve id-tc26-gost-3410-12-256-paramSetA, over the Streebog-256
/// (GOST R 34.11-2012) digest of the message, with BouncyCastle's ECGost3410Signer. Nonces are random:
/// the signer offers no deterministic nonce.
/// </summary>
/// <remarks>
/// The digest H is the 32 bytes Gost3411_2012_256Digest outputs (Streebog-256 of "" is
/// 3f539a21…8d9ce1bb in this order). ECGost3410Signer reads e from H least significant byte first, that
/// is e = Σ H[i]·256^i, which is the standard's α; it then uses e mod q and, unlike the standard, has no
/// "e = 0 becomes 1" rule (a case of probability 2^-254, which verification here reports as false).
/// Keys and signatures use big-endian integers, as keys.proto fixes: public key x || y, signature r || s
/// — not the little-endian, s-first layouts of some GOST toolkits.
/// </remarks>
internal sealed class Gost2012Suite : ISignatureSuite
{
    public const string CurveName = "Tc26-Gost-3410-12-256-paramSetA";

    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = ECGost3410NamedCurves.GetByName(CurveName);
    private static readonly ECDomainParameters Domain = new(Curve);

    public static Gost2012Suite Instance { get; } = new();

    private Gost2012Suite()
    {
    }

    public KeySuite Suite => KeySuite.Gost2012256;

    public int PublicKeyLength => 2 * EcKeys.ScalarLength;

    public int SignatureLength => 2 * EcKeys.ScalarLength;

    public KeyPair Generate() => FromPrivateKey(EcKeys.RandomScalar(Curve.N));

    public KeyPair FromPrivateKey(ReadOnlySpan<byte> secret)
    {
        var d = EcKeys.ParseScalar(Suite, secret, Curve.N);
        var q = new FixedPointCombMultiplier().Multiply(Curve.G, d);
        // x || y: the uncompressed encoding without its 0x04 prefix.
        var key = EcKeys.EncodeUncompressed(q)[1..];
        var publicKey = new PublicKey { Suite = Suite, Key = ByteString.CopyFrom(key) };
        return new KeyPair(publicKey, new PrivateKey(Suite, secret.ToArray()));
    }

    public byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message)
    {
        SignatureSuites.RequireSuite(key, Suite);
        var d = EcKeys.ParseScalar(Suite, key.Bytes, Curve.N);
        var signer = new ECGost3410Signer();
        signer.Init(true, new ECPrivateKeyParameters(d, Domain));
        var rs = signer.GenerateSignature(Streebog256(message));
        var result = new byte[SignatureLength];
        EcKeys.ToFixed(rs[0]).CopyTo(result, 0);
        EcKeys.ToFixed(rs[1]).CopyTo(result, EcKeys.ScalarLength);
        return result;
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }
        var q = DecodePublicKey(publicKey);
        if (q is null)
        {
            return false;
        }
        var r = new BigInteger(1, signature[..EcKeys.ScalarLength]);
        var s = new BigInteger(1, signature[EcKeys.ScalarLength..]);
        var verifier = new ECGost3410Signer();
        verifier.Init(false, new ECPublicKeyParameters(q, Domain));
        try
        {
            return verifier.VerifySignature(Streebog256(message), r, s);
        }
        catch (ArithmeticException)
        {
            // e ≡ 0 (mod q) has no inverse; see the remarks.
            return false;
        }
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => DecodePublicKey(publicKey) is not null;

    internal static byte[] Streebog256(ReadOnlySpan<byte> message)
    {
        var digest = new Gost3411_2012_256Digest();
        digest.BlockUpdate(message);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }

    private Org.BouncyCastle.Math.EC.ECPoint? DecodePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            return null;
        }
        Span<byte> uncompressed = stackalloc byte[EcKeys.UncompressedPointLength];
        uncompressed[0] = EcKeys.UncompressedPrefix;
        publicKey.CopyTo(uncompressed[1..]);
        return EcKeys.TryDecodeUncompressed(Curve.Curve, uncompressed);
    }
}
