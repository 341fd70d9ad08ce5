using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

public sealed class SignatureSuiteTests
{
    private static readonly byte[] Message = "ledger.v1/tx\0test-chain\0a body"u8.ToArray();

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_signature_verifies_with_the_signing_key(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);
        var pair = signatureSuite.Generate();

        var signature = signatureSuite.Sign(pair.Private, Message);

        signature.Should().HaveCount(signatureSuite.SignatureLength);
        pair.Public.Key.Length.Should().Be(signatureSuite.PublicKeyLength);
        pair.Public.Suite.Should().Be(suite);
        signatureSuite.Verify(pair.Public.Key.Span, Message, signature).Should().BeTrue();
        SignatureSuites.Verify(pair.Public, Message, signature).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_signature_from_another_key_is_rejected(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);
        var other = SignatureSuites.Generate(suite);

        var signature = SignatureSuites.Sign(other.Private, Message);

        SignatureSuites.Verify(pair.Public, Message, signature).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_signature_over_other_bytes_is_rejected(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);
        var signature = SignatureSuites.Sign(pair.Private, Message);
        var altered = Message.ToArray();
        altered[^1] ^= 0x01;

        SignatureSuites.Verify(pair.Public, altered, signature).Should().BeFalse();
        SignatureSuites.Verify(pair.Public, Message.AsSpan(..^1), signature).Should().BeFalse();
        SignatureSuites.Verify(pair.Public, [], signature).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_signature_with_any_byte_flipped_is_rejected(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);
        var signature = SignatureSuites.Sign(pair.Private, Message);

        for (var i = 0; i < signature.Length; i++)
        {
            var flipped = signature.ToArray();
            flipped[i] ^= 0x01;
            SignatureSuites.Verify(pair.Public, Message, flipped).Should().BeFalse($"byte {i} was flipped");
        }
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void Malformed_public_keys_give_false_without_throwing(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);
        var pair = signatureSuite.Generate();
        var signature = signatureSuite.Sign(pair.Private, Message);
        var key = pair.Public.Key.ToByteArray();
        var length = signatureSuite.PublicKeyLength;

        byte[][] malformed =
        [
            [],
            key[..^1],
            [.. key, 0x00],
            new byte[length],
            Enumerable.Repeat((byte)0xFF, length).ToArray(),
            WithLastByteChanged(key),
            WithFirstByteXor(key, 0x02),
            WithFirstByteXor(key, 0x06),
            new byte[1000],
        ];

        foreach (var bad in malformed)
        {
            var verify = () => signatureSuite.Verify(bad, Message, signature);
            verify.Should().NotThrow().Which.Should().BeFalse($"key {Convert.ToHexString(bad)} is malformed");
        }
        signatureSuite.IsValidPublicKey(key).Should().BeTrue();
        signatureSuite.IsValidPublicKey(key.AsSpan(..^1)).Should().BeFalse();
        signatureSuite.IsValidPublicKey([.. key, 0x00]).Should().BeFalse();
        signatureSuite.IsValidPublicKey([]).Should().BeFalse();
        if (suite != KeySuite.Ed25519)
        {
            // Ed25519 encodes y and the sign of x, so an altered key is often another valid point;
            // on the Weierstrass curves an altered y is off the curve.
            signatureSuite.IsValidPublicKey(WithLastByteChanged(key)).Should().BeFalse("the point is off the curve");
            signatureSuite.IsValidPublicKey(new byte[length]).Should().BeFalse("(0, 0) is not on the curve");
        }
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void Malformed_signatures_give_false_without_throwing(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);
        var pair = signatureSuite.Generate();
        var signature = signatureSuite.Sign(pair.Private, Message);
        var length = signatureSuite.SignatureLength;

        byte[][] malformed =
        [
            [],
            signature[..^1],
            [.. signature, 0x00],
            new byte[length],
            Enumerable.Repeat((byte)0xFF, length).ToArray(),
            new byte[10_000],
        ];

        foreach (var bad in malformed)
        {
            var verify = () => signatureSuite.Verify(pair.Public.Key.Span, Message, bad);
            verify.Should().NotThrow().Which.Should().BeFalse($"signature {Convert.ToHexString(bad)} is malformed");
        }
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void FromPrivateKey_derives_the_same_public_key(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);
        var pair = signatureSuite.Generate();

        var again = signatureSuite.FromPrivateKey(pair.Private.Bytes);

        again.Should().Be(pair);
        pair.Private.Bytes.Should().HaveCount(32);
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void Generated_keys_differ(KeySuite suite)
    {
        SignatureSuites.Generate(suite).Should().NotBe(SignatureSuites.Generate(suite));
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void Secrets_of_the_wrong_length_are_refused(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);

        var tooShort = () => signatureSuite.FromPrivateKey(new byte[31]);
        var tooLong = () => signatureSuite.FromPrivateKey(new byte[33]);

        tooShort.Should().Throw<ArgumentException>().WithMessage("*32 bytes*");
        tooLong.Should().Throw<ArgumentException>().WithMessage("*32 bytes*");
    }

    [Theory]
    [InlineData(KeySuite.EcdsaP256)]
    [InlineData(KeySuite.EcdsaSecp256K1)]
    [InlineData(KeySuite.Sm2Sm3)]
    [InlineData(KeySuite.Gost2012256)]
    public void Scalars_out_of_range_are_refused_as_secrets(KeySuite suite)
    {
        var signatureSuite = SignatureSuites.For(suite);

        var zero = () => signatureSuite.FromPrivateKey(new byte[32]);
        var allOnes = () => signatureSuite.FromPrivateKey(Enumerable.Repeat((byte)0xFF, 32).ToArray());

        zero.Should().Throw<ArgumentException>().WithMessage("*scalar*");
        allOnes.Should().Throw<ArgumentException>().WithMessage("*scalar*");
    }

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_private_key_of_another_suite_is_refused_for_signing(KeySuite suite)
    {
        var other = suite == KeySuite.Ed25519 ? KeySuite.EcdsaP256 : KeySuite.Ed25519;
        var foreignKey = SignatureSuites.Generate(other).Private;

        var sign = () => SignatureSuites.For(suite).Sign(foreignKey, Message);

        sign.Should().Throw<ArgumentException>();
    }

    [Theory]
    [MemberData(nameof(Suites.Deterministic), MemberType = typeof(Suites))]
    public void Deterministic_suites_sign_the_same_message_identically(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);

        SignatureSuites.Sign(pair.Private, Message).Should().Equal(SignatureSuites.Sign(pair.Private, Message));
    }

    [Theory]
    [MemberData(nameof(Suites.Randomised), MemberType = typeof(Suites))]
    public void Randomised_suites_sign_the_same_message_differently_and_both_verify(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);

        var first = SignatureSuites.Sign(pair.Private, Message);
        var second = SignatureSuites.Sign(pair.Private, Message);

        first.Should().NotEqual(second);
        SignatureSuites.Verify(pair.Public, Message, first).Should().BeTrue();
        SignatureSuites.Verify(pair.Public, Message, second).Should().BeTrue();
    }

    [Fact]
    public void Verification_gives_the_same_answers_from_many_threads()
    {
        var cases = Suites.Every.SelectMany(suite =>
        {
            var pair = SignatureSuites.Generate(suite);
            var signature = SignatureSuites.Sign(pair.Private, Message);
            var bad = signature.ToArray();
            bad[0] ^= 0x80;
            return new[] { (pair.Public, signature, true), (pair.Public, bad, false) };
        }).ToArray();

        var results = new bool[cases.Length * 8];
        Parallel.For(0, results.Length, i =>
        {
            var (key, signature, _) = cases[i % cases.Length];
            results[i] = SignatureSuites.Verify(key, Message, signature);
        });

        for (var i = 0; i < results.Length; i++)
        {
            results[i].Should().Be(cases[i % cases.Length].Item3);
        }
    }

    [Fact]
    public void Unspecified_and_unknown_suites_are_refused()
    {
        var unspecified = () => SignatureSuites.For(KeySuite.Unspecified);
        var unknown = () => SignatureSuites.For((KeySuite)99);

        unspecified.Should().Throw<ArgumentException>();
        unknown.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Verification_with_an_unknown_or_missing_key_gives_false()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var signature = SignatureSuites.Sign(pair.Private, Message);

        SignatureSuites.Verify(new PublicKey { Suite = (KeySuite)99, Key = pair.Public.Key }, Message, signature).Should().BeFalse();
        SignatureSuites.Verify(new PublicKey { Key = pair.Public.Key }, Message, signature).Should().BeFalse();
        SignatureSuites.Verify(null, Message, signature).Should().BeFalse();
    }

    [Fact]
    public void A_private_key_never_prints_its_secret()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);

        pair.ToString().Should().NotContain(Convert.ToHexString(pair.Private.Bytes)).And.Contain("<secret>");
    }

    private static byte[] WithLastByteChanged(byte[] key)
    {
        // Changing y's low byte moves a Weierstrass point off the curve; for Ed25519 it names another
        // point or none. Either way the signature must not verify.
        var result = key.ToArray();
        result[^1] ^= 0x01;
        return result;
    }

    // On the 65-byte keys this turns the 0x04 prefix into 0x06 (hybrid) or 0x02 (compressed), which are
    // refused; on the others it changes the key. Either way the key is never the signer's.
    private static byte[] WithFirstByteXor(byte[] key, byte mask)
    {
        var result = key.ToArray();
        result[0] ^= mask;
        return result;
    }
}
