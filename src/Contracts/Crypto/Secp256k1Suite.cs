using Google.Protobuf;
using Ledger.Wire;
using Nethereum.Signer;
using Nethereum.Util;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// ECDSA over secp256k1 with Keccak-256 of the message, Ethereum style. Keys and signatures come from
/// Nethereum's EthECKey: RFC 6979 deterministic nonces (HMAC-SHA-256) and low s, so signing is
/// reproducible. The signature is r || s || v with v = 27 + recovery id (27 or 28), as Ethereum's
/// ecrecover takes it.
/// </summary>
/// <remarks>
/// Verification is strict so that a signature has exactly one accepted encoding: s must be low
/// (s ≤ n/2, as Ethereum requires since EIP-2) and v must be the recovery id of the signature, so that a
/// client recovering the key from it gets the key named in the transaction. Both checks come out of one
/// double scalar multiplication done here with BouncyCastle (which Nethereum itself uses), instead of a
/// verification followed by a recovery at twice the cost.
/// </remarks>
internal sealed class Secp256k1Suite : ISignatureSuite
{
    public const byte RecoveryIdOffset = 27;

    private static readonly Org.BouncyCastle.Asn1.X9.X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger HalfOrder = Curve.N.ShiftRight(1);

    public static Secp256k1Suite Instance { get; } = new();

    private Secp256k1Suite()
    {
    }

    public KeySuite Suite => KeySuite.EcdsaSecp256K1;

    public int PublicKeyLength => EcKeys.UncompressedPointLength;

    public int SignatureLength => 2 * EcKeys.ScalarLength + 1;

    public KeyPair Generate() => FromPrivateKey(EcKeys.RandomScalar(Curve.N));

    public KeyPair FromPrivateKey(ReadOnlySpan<byte> secret)
    {
        EcKeys.ParseScalar(Suite, secret, Curve.N);
        var ethKey = new EthECKey(secret.ToArray(), true);
        var publicKey = new PublicKey { Suite = Suite, Key = ByteString.CopyFrom(ethKey.GetPubKey(false)) };
        return new KeyPair(publicKey, new PrivateKey(Suite, secret.ToArray()));
    }

    public byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message)
    {
        SignatureSuites.RequireSuite(key, Suite);
        EcKeys.ParseScalar(Suite, key.Bytes, Curve.N);
        var signature = new EthECKey(key.Bytes, true).SignAndCalculateV(Keccak256(message));
        var v = signature.V.Length == 1 ? signature.V[0] : (byte)0;
        if (v != RecoveryIdOffset && v != RecoveryIdOffset + 1)
        {
            // Recovery ids 2 and 3 need r ≥ n - p, which happens with probability about 2^-128.
            throw new InvalidOperationException($"Nethereum returned v = {v}, which Ethereum cannot express");
        }
        var result = new byte[SignatureLength];
        EcKeys.ToFixed(new BigInteger(1, signature.R)).CopyTo(result, 0);
        EcKeys.ToFixed(new BigInteger(1, signature.S)).CopyTo(result, EcKeys.ScalarLength);
        result[^1] = v;
        return result;
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
        var recoveryId = signature[^1] - RecoveryIdOffset;
        if (recoveryId is not (0 or 1))
        {
            return false;
        }
        var n = Curve.N;
        var r = new BigInteger(1, signature[..EcKeys.ScalarLength]);
        var s = new BigInteger(1, signature[EcKeys.ScalarLength..(2 * EcKeys.ScalarLength)]);
        if (r.SignValue <= 0 || r.CompareTo(n) >= 0 || s.SignValue <= 0 || s.CompareTo(HalfOrder) > 0)
        {
            return false;
        }

        // SEC 1, 4.1.4: R = (e / s) G + (r / s) Q must have x ≡ r (mod n). The digest is as long as n,
        // so e is the whole digest.
        var e = new BigInteger(1, Keccak256(message));
        var w = s.ModInverse(n);
        var point = ECAlgorithms.SumOfTwoMultiplies(Curve.G, e.Multiply(w).Mod(n), q, r.Multiply(w).Mod(n)).Normalize();
        if (point.IsInfinity)
        {
            return false;
        }
        // x < n and x = r: the recovery ids 0 and 1 are exactly the cases x = r, told apart by y's parity.
        var x = point.AffineXCoord.ToBigInteger();
        var yIsOdd = point.AffineYCoord.ToBigInteger().TestBit(0);
        return x.Equals(r) && yIsOdd == (recoveryId == 1);
    }

    public bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        EcKeys.TryDecodeUncompressed(Curve.Curve, publicKey) is not null;

    internal static byte[] Keccak256(ReadOnlySpan<byte> data) =>
        // A new hasher per call: verification runs on many threads.
        new Sha3Keccack().CalculateHash(data.ToArray());
}
