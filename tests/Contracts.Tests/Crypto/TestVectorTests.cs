using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>
/// Checks the frozen vectors of tests/vectors/tx-signing.json: what a client in another language tests
/// itself against. If one of these fails, either the code or a library changed the wire format.
/// </summary>
public sealed class TestVectorTests
{
    public static TheoryData<string> SuiteNames => new(KeySuiteNames.All);

    [Fact]
    public void There_is_one_vector_per_suite()
    {
        Load().Select(v => v.Suite).Should().BeEquivalentTo(KeySuiteNames.All);
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void The_body_parses_and_its_signed_bytes_and_id_are_as_stored(string suiteName)
    {
        var vector = Find(suiteName);

        var body = TxBody.Parser.ParseFrom(vector.Body);

        body.ChainId.Should().Be(vector.ChainId);
        body.KindCase.Should().Be(TxBody.KindOneofCase.IssueCertificate);
        body.SignerKey.Suite.Should().Be(KeySuiteNames.Parse(suiteName));
        body.SignerKey.Key.ToByteArray().Should().Equal(vector.PublicKey);
        SignedBytes.ForTransaction(vector.ChainId, vector.Body).Should().Equal(vector.SignedBytes);
        SHA256.HashData(vector.SignedBytes).Should().Equal(vector.TxId);
        TransactionSigner.IdOf(vector.ChainId, Envelope(vector)).ToArray().Should().Equal(vector.TxId);
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void The_public_key_derives_from_the_private_key(string suiteName)
    {
        var vector = Find(suiteName);

        var pair = SignatureSuites.For(KeySuiteNames.Parse(suiteName)).FromPrivateKey(vector.PrivateKey);

        pair.Public.Key.ToByteArray().Should().Equal(vector.PublicKey);
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void The_signature_verifies_over_the_signed_bytes(string suiteName)
    {
        var vector = Find(suiteName);
        var key = new PublicKey { Suite = KeySuiteNames.Parse(suiteName), Key = ByteString.CopyFrom(vector.PublicKey) };

        SignatureSuites.Verify(key, vector.SignedBytes, vector.Signature).Should().BeTrue();
        TransactionSigner.VerifySignature(vector.ChainId, Envelope(vector), out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("p256")]
    [InlineData("secp256k1")]
    public void The_same_ecdsa_signature_with_high_s_is_refused_so_a_transaction_has_one_envelope(string suiteName)
    {
        var vector = Find(suiteName);
        var key = new PublicKey { Suite = KeySuiteNames.Parse(suiteName), Key = ByteString.CopyFrom(vector.PublicKey) };

        vector.RefusedHighS.Should().NotBeNull();
        SignatureSuites.Verify(key, vector.SignedBytes, vector.RefusedHighS!).Should().BeFalse();
    }

    [Fact]
    public void P256_signatures_come_out_with_low_s()
    {
        var vector = Find("p256");
        var order = new Org.BouncyCastle.Math.BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

        // Random nonces give a high s half of the time before normalisation: 40 signatures miss one with odds 2^-40.
        for (var i = 0; i < 40; i++)
        {
            var signature = SignatureSuites.Sign(new PrivateKey(KeySuite.EcdsaP256, vector.PrivateKey), vector.SignedBytes);
            new Org.BouncyCastle.Math.BigInteger(1, signature, 32, 32).CompareTo(order.ShiftRight(1)).Should().BeLessThanOrEqualTo(0);
        }
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void The_stored_digest_is_the_suites_hash_of_the_signed_bytes(string suiteName)
    {
        var vector = Find(suiteName);

        var expected = KeySuiteNames.Parse(suiteName) switch
        {
            KeySuite.EcdsaP256 => SHA256.HashData(vector.SignedBytes),
            KeySuite.EcdsaSecp256K1 => new Nethereum.Util.Sha3Keccack().CalculateHash(vector.SignedBytes),
            KeySuite.Gost2012256 => Gost2012Suite.Streebog256(vector.SignedBytes),
            _ => null,
        };

        vector.Digest.Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void Deterministic_suites_sign_again_to_exactly_the_stored_signature(string suiteName)
    {
        var vector = Find(suiteName);
        var suite = KeySuiteNames.Parse(suiteName);
        var signature = SignatureSuites.Sign(new PrivateKey(suite, vector.PrivateKey), vector.SignedBytes);

        vector.Deterministic.Should().Be(suite is KeySuite.Ed25519 or KeySuite.EcdsaSecp256K1);
        if (vector.Deterministic)
        {
            signature.Should().Equal(vector.Signature);
        }
        else
        {
            signature.Should().NotEqual(vector.Signature);
        }
    }

    private static TxEnvelope Envelope(Vector vector) =>
        new() { Body = ByteString.CopyFrom(vector.Body), Signature = ByteString.CopyFrom(vector.Signature) };

    private static Vector Find(string suiteName) => Load().Single(v => v.Suite == suiteName);

    private static List<Vector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "tx-signing.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
            v.GetProperty("suite").GetString()!,
            v.GetProperty("deterministic").GetBoolean(),
            Hex(v, "privateKey")!,
            Hex(v, "publicKey")!,
            v.GetProperty("chainId").GetString()!,
            Hex(v, "body")!,
            Hex(v, "signedBytes")!,
            Hex(v, "txId")!,
            Hex(v, "digest"),
            Hex(v, "signature")!,
            Hex(v, "refusedHighS"))).ToList();
    }

    private static byte[]? Hex(JsonElement vector, string name) =>
        vector.TryGetProperty(name, out var value) ? Convert.FromHexString(value.GetString()!) : null;

    private sealed record Vector(
        string Suite,
        bool Deterministic,
        byte[] PrivateKey,
        byte[] PublicKey,
        string ChainId,
        byte[] Body,
        byte[] SignedBytes,
        byte[] TxId,
        byte[]? Digest,
        byte[] Signature,
        byte[]? RefusedHighS);
}
