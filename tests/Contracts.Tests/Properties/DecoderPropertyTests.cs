using CsCheck;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Properties;

/// <summary>
/// Properties of the transaction decoder over generated input (CsCheck; a failure prints the seed that
/// reproduces it). The mutation fuzzer of valid envelopes is Fuzz/DecoderFuzzTests.
/// </summary>
public sealed class DecoderPropertyTests
{
    private static readonly Limits Limits = TestNetwork.Config().Limits;
    private static readonly KeyPair Key = SignatureSuites.Generate(KeySuite.Ed25519);
    private static readonly TxEnvelope Valid = TransactionSigner.Sign(TestNetwork.ChainId, new TxBody
    {
        ChainId = TestNetwork.ChainId,
        SignerOrg = TestNetwork.CnChamber,
        SignerKey = Key.Public,
        Nonce = 7,
        IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate("P-1", TestNetwork.GenesisTimeMs + TestNetwork.DayMs) },
    }, Key);

    [Fact]
    public void Any_bytes_decode_to_a_transaction_or_a_refusal_and_never_throw()
    {
        Gen.Byte.Array[0, 4_096].Sample(bytes =>
        {
            var result = TransactionDecoder.Decode(bytes, TestNetwork.ChainId, Limits);
            (result.Transaction is null).Should().Be(result.Refusal is not null);
            if (result.Refusal is { } refusal)
            {
                RuleCatalog.RefusalCodes.Should().Contain(refusal.Code);
                refusal.Message.Should().NotBeNullOrWhiteSpace();
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Envelopes_built_from_arbitrary_bodies_are_refused_unless_signed()
    {
        Gen.Byte.Array[0, 2_048].Select(Gen.Byte.Array[0, 80]).Sample((body, signature) =>
        {
            var envelope = new TxEnvelope { Body = ByteString.CopyFrom(body), Signature = ByteString.CopyFrom(signature) };
            TransactionDecoder.Decode(envelope, TestNetwork.ChainId, Limits).Transaction.Should().BeNull();
        }, iter: 5_000);
    }

    [Fact]
    public void Changing_any_byte_of_a_signed_body_gets_it_refused()
    {
        var body = Valid.Body.ToByteArray();
        Gen.Int[0, body.Length - 1].Select(Gen.Byte[1, 255]).Sample((position, delta) =>
        {
            var changed = (byte[])body.Clone();
            changed[position] = unchecked((byte)(changed[position] + delta));
            var envelope = new TxEnvelope { Body = ByteString.CopyFrom(changed), Signature = Valid.Signature };
            TransactionDecoder.Decode(envelope, TestNetwork.ChainId, Limits).Transaction.Should().BeNull();
        }, iter: 2_000);
    }

    [Fact]
    public void Any_signed_body_decodes_to_itself_with_its_id_and_re_encodes_to_the_same_bytes()
    {
        var text = Gen.String[Gen.Char["abcxyzABC0189 -/.,:éЁж中国"], 0, 60];
        // signer_org is required: an empty one is refused as malformed.
        var organisation = Gen.String[Gen.Char["abcxyz0189-"], 1, 64];
        var body = Gen.Select(organisation, text, Gen.ULong, Gen.Long, Gen.Int[0, 2], Gen.Long[-1, long.MaxValue]).Select((a, b, nonce, created, kind, number) =>
        {
            var tx = new TxBody { ChainId = TestNetwork.ChainId, SignerOrg = a, SignerKey = Key.Public, Nonce = nonce, CreatedAtMs = created };
            switch (kind)
            {
                case 0:
                    tx.RevokeCertificate = new RevokeCertificate { CertificateId = a + "/" + b, Reason = b };
                    break;
                case 1:
                    tx.RecordUse = new RecordUse { CertificateId = a, DeclarationNumber = b, Lines = { new UseLine { ItemNo = (uint)(number & 0xFFFF), QuantityMilli = number } } };
                    break;
                default:
                    var certificate = Samples.CnCertificate(b, number);
                    certificate.Exporter.Name = a;
                    tx.IssueCertificate = new IssueCertificate { Certificate = certificate };
                    break;
            }
            return tx;
        });
        body.Sample(tx =>
        {
            var envelope = TransactionSigner.Sign(TestNetwork.ChainId, tx, Key);

            var decoded = TransactionDecoder.Decode(envelope.ToByteArray(), TestNetwork.ChainId, Limits).Transaction!;

            decoded.Body.Should().Be(tx);
            decoded.Envelope.Should().Be(envelope);
            decoded.Id.Should().Be(TransactionSigner.IdOf(TestNetwork.ChainId, envelope));
            decoded.Body.ToByteString().Should().Equal(envelope.Body, "the reference encoding of a body is canonical: it re-encodes to the signed bytes");
        }, iter: 300);
    }

    [Fact]
    public void The_valid_envelope_itself_decodes_with_its_id()
    {
        TransactionDecoder.Decode(Valid, TestNetwork.ChainId, Limits).Transaction!.Id.Should().Be(TransactionSigner.IdOf(TestNetwork.ChainId, Valid));
    }
}
