using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

public sealed class TransactionSignerTests
{
    private const string ChainId = SampleTransactions.ChainId;

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_signed_transaction_verifies_and_gives_back_its_body(KeySuite suite)
    {
        var pair = SignatureSuites.Generate(suite);
        var body = SampleTransactions.IssueCertificate(pair.Public);

        var envelope = TransactionSigner.Sign(ChainId, body, pair);

        TransactionSigner.VerifySignature(ChainId, envelope, out var parsed).Should().BeTrue();
        parsed.Should().Be(body);
        envelope.Body.ToByteArray().Should().Equal(body.ToByteArray());
    }

    [Fact]
    public void The_id_is_SHA_256_of_the_signed_bytes_and_ignores_the_signature()
    {
        var pair = SignatureSuites.Generate(KeySuite.EcdsaP256);
        var body = SampleTransactions.IssueCertificate(pair.Public);
        var first = TransactionSigner.Sign(ChainId, body, pair);
        var second = TransactionSigner.Sign(ChainId, body, pair);

        first.Signature.Should().NotEqual(second.Signature, "P-256 nonces are random");
        TransactionSigner.IdOf(ChainId, first).Should().Be(TransactionSigner.IdOf(ChainId, second));
        TransactionSigner.IdOf(ChainId, first).Should().Be(
            Hash32.Sha256(SignedBytes.ForTransaction(ChainId, body.ToByteArray())));
    }

    [Fact]
    public void A_transaction_checked_for_another_chain_is_rejected()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var envelope = TransactionSigner.Sign(ChainId, SampleTransactions.IssueCertificate(pair.Public), pair);

        TransactionSigner.VerifySignature("other-chain", envelope, out var body).Should().BeFalse();
        body.Should().BeNull();
    }

    [Fact]
    public void A_transaction_whose_body_bytes_changed_is_rejected()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var body = SampleTransactions.IssueCertificate(pair.Public);
        var envelope = TransactionSigner.Sign(ChainId, body, pair);
        body.Nonce = 2;
        var tampered = new TxEnvelope { Body = body.ToByteString(), Signature = envelope.Signature };

        TransactionSigner.VerifySignature(ChainId, tampered, out _).Should().BeFalse();
    }

    [Fact]
    public void A_body_that_is_not_protobuf_is_rejected_without_throwing()
    {
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(0xFF, 0xFF, 0xFF), Signature = ByteString.CopyFrom(new byte[64]) };

        TransactionSigner.VerifySignature(ChainId, envelope, out var body).Should().BeFalse();
        body.Should().BeNull();
    }

    [Fact]
    public void A_body_without_a_signer_key_is_rejected()
    {
        var body = SampleTransactions.IssueCertificate(SignatureSuites.Generate(KeySuite.Ed25519).Public);
        body.SignerKey = null;
        var envelope = new TxEnvelope { Body = body.ToByteString(), Signature = ByteString.CopyFrom(new byte[64]) };

        TransactionSigner.VerifySignature(ChainId, envelope, out _).Should().BeFalse();
    }

    [Fact]
    public void Signing_a_body_that_names_another_key_or_chain_is_a_bug_and_throws()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var other = SignatureSuites.Generate(KeySuite.Ed25519);

        var otherKey = () => TransactionSigner.Sign(ChainId, SampleTransactions.IssueCertificate(other.Public), pair);
        var otherChain = () => TransactionSigner.Sign("other-chain", SampleTransactions.IssueCertificate(pair.Public), pair);

        otherKey.Should().Throw<ArgumentException>().WithMessage("*signer_key*");
        otherChain.Should().Throw<ArgumentException>().WithMessage("*other-chain*");
    }
}
