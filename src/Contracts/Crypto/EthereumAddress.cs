using Ledger.Wire;
using Nethereum.Util;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// The Ethereum address of a secp256k1 key: the last 20 bytes of Keccak-256(x || y), written as
/// "0x" and 40 hex digits in EIP-55 mixed-case checksum form.
/// </summary>
public static class EthereumAddress
{
    public const int AddressLength = 20;

    /// <exception cref="ArgumentException">Not a valid 65-byte uncompressed secp256k1 public key.</exception>
    public static string Of(ReadOnlySpan<byte> secp256k1PublicKey)
    {
        if (!Secp256k1Suite.Instance.IsValidPublicKey(secp256k1PublicKey))
        {
            throw new ArgumentException(
                "an Ethereum address needs a 65-byte uncompressed secp256k1 public key on the curve",
                nameof(secp256k1PublicKey));
        }
        var hash = Secp256k1Suite.Keccak256(secp256k1PublicKey[1..]);
        return new AddressUtil().ConvertToChecksumAddress(hash[^AddressLength..]);
    }

    /// <exception cref="ArgumentException">The key is not a valid secp256k1 key.</exception>
    public static string Of(PublicKey key)
    {
        if (key.Suite != KeySuite.EcdsaSecp256K1)
        {
            throw new ArgumentException($"a {key.Suite} key has no Ethereum address", nameof(key));
        }
        return Of(key.Key.Span);
    }
}
