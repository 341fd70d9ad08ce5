using System.Security.Cryptography;
using System.Text;
using Ledger.Contracts.Crypto;
using Ledger.Wire;
using Nethereum.Signer;
using Org.BouncyCastle.Asn1.CryptoPro;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>
/// Published test vectors and independent re-computations that pin the encodings PROTOCOL.md states,
/// so that a library upgrade that changes a byte order fails here rather than between two nodes.
/// </summary>
public sealed class KnownAnswerTests
{
    [Fact]
    public void Ed25519_matches_RFC_8032_test_1()
    {
        // RFC 8032, section 7.1, TEST 1: the empty message.
        var pair = SignatureSuites.For(KeySuite.Ed25519).FromPrivateKey(
            Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        var signature = SignatureSuites.Sign(pair.Private, []);

        Convert.ToHexStringLower(pair.Public.Key.Span).Should().Be("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Convert.ToHexStringLower(signature).Should().Be(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    [Fact]
    public void Ed25519_refuses_the_RFC_8032_signature_with_its_scalar_made_non_canonical()
    {
        // RFC 8032, section 7.1, TEST 1 again; S + L (the group order) is the same point arithmetic, a second encoding
        // of one signature that section 5.1.7 tells verifiers to refuse.
        var publicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        var signature = Convert.FromHexString(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var order = System.Numerics.BigInteger.Parse("7237005577332262213973186563042994240857116359379907606001950938285454250989", System.Globalization.CultureInfo.InvariantCulture);
        var scalar = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false);
        var malleated = signature[..32].Concat((scalar + order).ToByteArray(isUnsigned: true, isBigEndian: false).Take(32)).ToArray();
        var suite = SignatureSuites.For(KeySuite.Ed25519);

        suite.Verify(publicKey, [], signature).Should().BeTrue();
        suite.Verify(publicKey, [], malleated).Should().BeFalse();
    }

    [Fact]
    public void Ed25519_refuses_a_signature_by_a_small_order_key_whatever_the_message()
    {
        // The neutral point as key and as R, with S = 0: a cofactorless verifier that takes small-order points finds
        // [0]B = R + [k]A for every message. A key like this must never be able to sign.
        var neutral = new byte[32];
        neutral[0] = 1;
        var signature = neutral.Concat(new byte[32]).ToArray();
        var suite = SignatureSuites.For(KeySuite.Ed25519);

        suite.Verify(neutral, "any message"u8, signature).Should().BeFalse();
        suite.Verify(neutral, "another message"u8, signature).Should().BeFalse();
    }

    [Theory]
    // The addresses of private keys 1 and 2, as every Ethereum tool computes them.
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000002", "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")]
    public void Ethereum_address_of_a_known_key_is_the_known_address(string secretHex, string address)
    {
        var pair = SignatureSuites.For(KeySuite.EcdsaSecp256K1).FromPrivateKey(Convert.FromHexString(secretHex));

        EthereumAddress.Of(pair.Public).Should().Be(address);
        EthereumAddress.Of(pair.Public.Key.Span).Should().Be(address);
    }

    [Fact]
    public void Ethereum_address_of_a_key_of_another_suite_is_refused()
    {
        var pair = SignatureSuites.Generate(KeySuite.EcdsaP256);

        var address = () => EthereumAddress.Of(pair.Public);

        address.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Secp256k1_signatures_recover_to_the_signing_key_as_Ethereum_does()
    {
        var pair = SignatureSuites.Generate(KeySuite.EcdsaSecp256K1);
        var message = "recover me"u8.ToArray();
        var signature = SignatureSuites.Sign(pair.Private, message);
        var hash = new Nethereum.Util.Sha3Keccack().CalculateHash(message);

        var recovered = EthECKey.RecoverFromSignature(
            EthECDSASignatureFactory.FromComponents(signature[..32], signature[32..64], signature[64]), hash);

        signature[64].Should().BeOneOf((byte)27, (byte)28);
        recovered.GetPubKey(false).Should().Equal(pair.Public.Key.ToByteArray());
    }

    [Fact]
    public void Secp256k1_refuses_the_high_s_twin_and_the_other_v()
    {
        var suite = SignatureSuites.For(KeySuite.EcdsaSecp256K1);
        var pair = suite.Generate();
        var message = "malleable?"u8.ToArray();
        var signature = suite.Sign(pair.Private, message);
        var n = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("secp256k1").N;

        // (r, n - s) with the other recovery id is a valid ECDSA signature of the same key; only the
        // low-s form is accepted so that a signature has one encoding.
        var twin = signature.ToArray();
        Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, n.Subtract(new BigInteger(1, signature, 32, 32))).CopyTo(twin, 32);
        twin[64] = OtherV(signature[64]);
        var otherV = signature.ToArray();
        otherV[64] = OtherV(signature[64]);
        var rawRecoveryId = signature.ToArray();
        rawRecoveryId[64] -= 27;

        suite.Verify(pair.Public.Key.Span, message, signature).Should().BeTrue();
        suite.Verify(pair.Public.Key.Span, message, twin).Should().BeFalse();
        suite.Verify(pair.Public.Key.Span, message, otherV).Should().BeFalse();
        suite.Verify(pair.Public.Key.Span, message, rawRecoveryId).Should().BeFalse();
    }

    [Fact]
    public void Streebog_256_digest_bytes_come_out_in_the_documented_order()
    {
        // Streebog-256 of the empty string as OpenSSL, gogost and pygost print it.
        var digest = new Org.BouncyCastle.Crypto.Digests.Gost3411_2012_256Digest();
        var output = new byte[32];
        digest.DoFinal(output, 0);

        Convert.ToHexStringLower(output).Should().Be("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb");
    }

    [Fact]
    public void Gost_signatures_satisfy_the_verification_equation_with_e_read_little_endian()
    {
        // Re-checks a signature without ECGost3410Signer, exactly as PROTOCOL.md tells another client to:
        // e = digest read least significant byte first, mod q; R = (s/e) G - (r/e) Q; x(R) mod q == r.
        var suite = SignatureSuites.For(KeySuite.Gost2012256);
        var pair = suite.Generate();
        var message = Encoding.UTF8.GetBytes("Алматы — Урумчи");
        var signature = suite.Sign(pair.Private, message);

        var curve = ECGost3410NamedCurves.GetByName("Tc26-Gost-3410-12-256-paramSetA");
        var q = curve.N;
        var digest = new Org.BouncyCastle.Crypto.Digests.Gost3411_2012_256Digest();
        digest.BlockUpdate(message);
        var h = new byte[32];
        digest.DoFinal(h, 0);
        var e = new BigInteger(1, h.Reverse().ToArray()).Mod(q);
        var key = pair.Public.Key.ToByteArray();
        var point = curve.Curve.ValidatePoint(new BigInteger(1, key, 0, 32), new BigInteger(1, key, 32, 32));
        var r = new BigInteger(1, signature, 0, 32);
        var s = new BigInteger(1, signature, 32, 32);
        var v = e.ModInverse(q);
        var c = ECAlgorithms.SumOfTwoMultiplies(curve.G, s.Multiply(v).Mod(q), point, q.Subtract(r).Multiply(v).Mod(q)).Normalize();

        c.AffineXCoord.ToBigInteger().Mod(q).Should().Be(r);
    }

    [Fact]
    public void Sm2_signatures_verify_with_the_user_id_1234567812345678_given_explicitly()
    {
        var pair = SignatureSuites.Generate(KeySuite.Sm2Sm3);
        var message = "证书"u8.ToArray();
        var signature = SignatureSuites.Sign(pair.Private, message);
        var curve = GMNamedCurves.GetByName("sm2p256v1");
        var verifier = new SM2Signer(PlainDsaEncoding.Instance);
        var publicKey = new ECPublicKeyParameters(curve.Curve.DecodePoint(pair.Public.Key.ToByteArray()), new ECDomainParameters(curve));

        verifier.Init(false, new Org.BouncyCastle.Crypto.Parameters.ParametersWithID(publicKey, "1234567812345678"u8.ToArray()));
        verifier.BlockUpdate(message);

        verifier.VerifySignature(signature).Should().BeTrue();
    }

    [Fact]
    public void P256_signatures_are_ECDSA_over_SHA_256_as_any_library_verifies_them()
    {
        var pair = SignatureSuites.Generate(KeySuite.EcdsaP256);
        var message = "customs"u8.ToArray();
        var signature = SignatureSuites.Sign(pair.Private, message);
        var curve = Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetByName("P-256");
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(curve.Curve.DecodePoint(pair.Public.Key.ToByteArray()), new ECDomainParameters(curve)));

        verifier.VerifySignature(SHA256.HashData(message), new BigInteger(1, signature, 0, 32), new BigInteger(1, signature, 32, 32))
            .Should().BeTrue();
    }

    private static byte OtherV(byte v) => v == 27 ? (byte)28 : (byte)27;
}
