using System.Security.Cryptography;
using Ledger.Wire;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Ledger.Contracts.Crypto;

/// <summary>Scalar and point encodings shared by the 256-bit elliptic-curve suites.</summary>
internal static class EcKeys
{
    public const int ScalarLength = 32;
    public const int UncompressedPointLength = 1 + 2 * ScalarLength;
    public const byte UncompressedPrefix = 0x04;

    /// <summary>The secret as a scalar in [1, upperExclusive), or an ArgumentException naming the rule.</summary>
    public static BigInteger ParseScalar(KeySuite suite, ReadOnlySpan<byte> secret, BigInteger upperExclusive)
    {
        if (secret.Length != ScalarLength)
        {
            throw new ArgumentException(
                $"a {suite} private key has {ScalarLength} bytes, not {secret.Length}", nameof(secret));
        }
        var d = new BigInteger(1, secret);
        if (d.SignValue <= 0 || d.CompareTo(upperExclusive) >= 0)
        {
            throw new ArgumentException(
                $"a {suite} private key must be a scalar in [1, {upperExclusive.ToString(16)}) (hex)", nameof(secret));
        }
        return d;
    }

    /// <summary>A uniformly random scalar in [1, upperExclusive), 32 bytes big-endian.</summary>
    public static byte[] RandomScalar(BigInteger upperExclusive)
    {
        // Rejection sampling keeps the distribution uniform; masking to the bit length of the bound makes
        // a rejection less likely than not, so the loop ends after two draws on average.
        var topMask = (byte)(0xFF >> (ScalarLength * 8 - upperExclusive.BitLength));
        while (true)
        {
            var candidate = RandomNumberGenerator.GetBytes(ScalarLength);
            candidate[0] &= topMask;
            var d = new BigInteger(1, candidate);
            if (d.SignValue > 0 && d.CompareTo(upperExclusive) < 0)
            {
                return candidate;
            }
        }
    }

    /// <summary>The value as exactly 32 big-endian bytes (left-padded with zeros).</summary>
    public static byte[] ToFixed(BigInteger value) => BigIntegers.AsUnsignedByteArray(ScalarLength, value);

    /// <summary>Writes the point as 0x04 || x || y, coordinates 32 bytes big-endian.</summary>
    public static byte[] EncodeUncompressed(ECPoint point)
    {
        var normalized = point.Normalize();
        var result = new byte[UncompressedPointLength];
        result[0] = UncompressedPrefix;
        ToFixed(normalized.AffineXCoord.ToBigInteger()).CopyTo(result, 1);
        ToFixed(normalized.AffineYCoord.ToBigInteger()).CopyTo(result, 1 + ScalarLength);
        return result;
    }

    /// <summary>
    /// The point of an uncompressed encoding, validated (on the curve, in the prime-order subgroup, not
    /// infinity), or null. Compressed and hybrid encodings are refused so that one key has one encoding.
    /// </summary>
    public static ECPoint? TryDecodeUncompressed(ECCurve curve, ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != UncompressedPointLength || encoded[0] != UncompressedPrefix)
        {
            return null;
        }
        try
        {
            // DecodePoint validates the coordinates against the curve equation and the order.
            var point = curve.DecodePoint(encoded.ToArray());
            return point.IsInfinity ? null : point;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
