using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Execution;

public sealed class TransactionDecoderTests
{
    private static readonly KeyPair Chamber = SignatureSuites.Generate(KeySuite.Ed25519);
    private static readonly Limits Limits = TestNetwork.Config().Limits;

    private static TxBody Body(Action<Certificate>? change = null)
    {
        var cert = Samples.CnCertificate("CN-1", TestNetwork.GenesisTimeMs + (30 * TestNetwork.DayMs));
        change?.Invoke(cert);
        return new TxBody
        {
            ChainId = TestNetwork.ChainId,
            SignerOrg = TestNetwork.CnChamber,
            SignerKey = Chamber.Public,
            Nonce = 1,
            IssueCertificate = new IssueCertificate { Certificate = cert },
        };
    }

    private static DecodeResult Decode(TxEnvelope envelope) => TransactionDecoder.Decode(envelope.ToByteArray(), TestNetwork.ChainId, Limits);

    [Fact]
    public void A_well_signed_transaction_decodes_with_its_id()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(), Chamber);

        var result = Decode(envelope);

        result.Refusal.Should().BeNull();
        result.Transaction!.Id.Should().Be(SignedBytes.TransactionId(TestNetwork.ChainId, envelope.Body.Span));
        result.Transaction.Body.IssueCertificate.Certificate.Number.Should().Be("CN-1");
    }

    [Fact]
    public void A_signature_by_another_key_is_refused()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(), Chamber);
        var stranger = SignatureSuites.Generate(KeySuite.Ed25519);
        envelope.Signature = ByteString.CopyFrom(SignatureSuites.Sign(stranger.Private, SignedBytes.ForTransaction(TestNetwork.ChainId, envelope.Body.Span)));

        Decode(envelope).Refusal!.Code.Should().Be(RuleCatalog.SignatureInvalid);
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(), Chamber);
        var changed = TxBody.Parser.ParseFrom(envelope.Body);
        changed.Nonce = 2;
        envelope.Body = changed.ToByteString();

        Decode(envelope).Refusal!.Code.Should().Be(RuleCatalog.SignatureInvalid);
    }

    [Fact]
    public void A_transaction_for_another_network_is_refused()
    {
        var body = Body();
        body.ChainId = "other-network";
        var refusal = Decode(TransactionSigner.Sign("other-network", body, Chamber)).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.WrongChain);
        refusal.Message.Should().Contain("other-network");
    }

    [Fact]
    public void Bytes_that_are_not_an_envelope_are_refused_as_malformed()
    {
        TransactionDecoder.Decode(new byte[] { 0x0A, 0xFF, 0xFF }, TestNetwork.ChainId, Limits).Refusal!.Code.Should().Be(RuleCatalog.TxMalformed);
        Decode(new TxEnvelope { Body = ByteString.CopyFrom(0x0A, 0x05, 0x01) }).Refusal!.Code.Should().Be(RuleCatalog.TxMalformed);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_refused_as_malformed()
    {
        // Field 1 (chain_id), length 2, bytes that are not UTF-8.
        Decode(new TxEnvelope { Body = ByteString.CopyFrom(0x0A, 0x02, 0xC3, 0x28) }).Refusal!.Code.Should().Be(RuleCatalog.TxMalformed);
    }

    [Fact]
    public void A_body_with_no_known_kind_is_refused()
    {
        var body = Body();
        body.ClearKind();
        // A kind from a newer protocol: an unknown field number.
        var bytes = body.ToByteArray().Concat(new byte[] { 0xFA, 0x3E, 0x00 }).ToArray();
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(bytes) };
        envelope.Signature = ByteString.CopyFrom(SignatureSuites.Sign(Chamber.Private, SignedBytes.ForTransaction(TestNetwork.ChainId, bytes)));

        Decode(envelope).Refusal!.Code.Should().Be(RuleCatalog.TxKindUnknown);
    }

    [Fact]
    public void An_envelope_over_the_size_limit_is_refused()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c => c.Certification = new string('x', 1_000)), Chamber);
        var small = Limits.Clone();
        small.TxBytesMax = 512;

        var refusal = TransactionDecoder.Decode(envelope.ToByteArray(), TestNetwork.ChainId, small).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TxTooLarge);
        refusal.Kind.Should().Be(RefusalKind.ResourceExhausted);
    }

    [Fact]
    public void A_string_over_the_limit_is_refused_naming_its_path()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c => c.Goods[1].Description = new string('y', 1_025)), Chamber);

        var refusal = Decode(envelope).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.FieldTooLong);
        refusal.Message.Should().Contain("issue_certificate.certificate.goods[1].description");
    }

    [Fact]
    public void Characters_outside_the_basic_plane_count_once_each_against_the_string_limit()
    {
        // U+1F600, two UTF-16 units and four UTF-8 bytes: 600 of them are 1,200 units but 600 characters.
        var faces = string.Concat(Enumerable.Repeat("\U0001F600", 600));
        faces.Length.Should().Be(1_200);
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c => c.Goods[1].Description = faces), Chamber);

        Decode(envelope).Refusal.Should().BeNull("the limit is 1,024 characters, counted as Unicode scalar values");
    }

    [Fact]
    public void A_string_of_more_characters_than_the_limit_outside_the_basic_plane_is_refused_with_its_character_count()
    {
        var faces = string.Concat(Enumerable.Repeat("\U0001F600", 1_025));
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c => c.Goods[1].Description = faces), Chamber);

        var refusal = Decode(envelope).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.FieldTooLong);
        refusal.Message.Should().Be("issue_certificate.certificate.goods[1].description has 1025 characters; at most 1024 are accepted");
    }

    [Fact]
    public void Too_many_goods_lines_are_refused()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c =>
        {
            for (uint i = 3; i <= 101; i++)
            {
                c.Goods.Add(new GoodsLine { ItemNo = i, Description = "d", HsCode = "520512", QuantityMilli = 1, GrossWeightGrams = 1, Unit = "KGM" });
            }
        }), Chamber);

        Decode(envelope).Refusal!.Code.Should().Be(RuleCatalog.TooManyItems);
    }

    [Fact]
    public void Too_many_items_in_another_list_are_refused()
    {
        var envelope = TransactionSigner.Sign(TestNetwork.ChainId, Body(c => c.Transport.VehicleIds.AddRange(Enumerable.Range(0, 65).Select(i => $"W{i}"))), Chamber);

        var refusal = Decode(envelope).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TooManyItems);
        refusal.Message.Should().Contain("vehicle_ids");
    }

    [Fact]
    public void A_missing_signer_key_is_refused_as_malformed()
    {
        var body = Body();
        body.SignerKey = null;
        var bytes = body.ToByteArray();

        Decode(new TxEnvelope { Body = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(new byte[64]) }).Refusal!.Code.Should().Be(RuleCatalog.TxMalformed);
    }
}
