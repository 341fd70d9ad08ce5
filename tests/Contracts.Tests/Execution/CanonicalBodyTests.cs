using System.Text;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Execution;

/// <summary>
/// TX_NOT_CANONICAL beyond the frozen vectors of tx-canonical.json: forms the vectors' certificate body cannot
/// show, the order of the checks, and what the reference encoder writes that is canonical on purpose.
/// </summary>
public sealed class CanonicalBodyTests
{
    private static readonly KeyPair Chamber = SignatureSuites.Generate(KeySuite.Ed25519);
    private static readonly Limits Limits = TestNetwork.Config().Limits;

    private static TxBody Body() => new()
    {
        ChainId = TestNetwork.ChainId,
        SignerOrg = TestNetwork.CnChamber,
        SignerKey = Chamber.Public,
        Nonce = 1,
        RevokeCertificate = new RevokeCertificate { CertificateId = "cn-chamber/CN-1", Reason = "issued in error" },
    };

    private static TxEnvelope Signed(byte[] body) => new()
    {
        Body = ByteString.CopyFrom(body),
        Signature = ByteString.CopyFrom(SignatureSuites.Sign(Chamber.Private, SignedBytes.ForTransaction(TestNetwork.ChainId, body))),
    };

    private static DecodeResult Decode(TxEnvelope envelope) => TransactionDecoder.Decode(envelope.ToByteArray(), TestNetwork.ChainId, Limits);

    [Fact]
    public void The_canonical_form_of_a_transaction_is_accepted()
    {
        var bytes = Body().ToByteArray();

        Decode(Signed(bytes)).Transaction!.Body.ToByteArray().Should().Equal(bytes);
    }

    [Fact]
    public void A_body_that_is_not_canonical_is_refused_before_its_signature_is_checked()
    {
        byte[] bytes = [.. Body().ToByteArray(), 0x98, 0x06, 0x01];
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(bytes), Signature = ByteString.CopyFrom(new byte[64]) };

        var refusal = Decode(envelope).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TxNotCanonical);
        refusal.Message.Should().Be("the body is not in canonical form: field 99 is not a field of ledger.v1.TxBody");
    }

    [Fact]
    public void A_repeated_enum_written_unpacked_is_refused()
    {
        var organisation = new Organisation { Id = "kz-new", Name = "New", Country = "KZ" };
        // roles = [chamber] unpacked: field 4 as a varint (20 01) instead of one packed run (22 01 01).
        byte[] unpackedOrganisation = [.. organisation.ToByteArray(), 0x20, 0x01];
        var bytes = WithKind(Body(), 10, Ld(1, Ld(1, unpackedOrganisation)));
        organisation.Roles.Add(Role.Chamber);
        var canonical = Body();
        canonical.ProposeMembershipChange = new ProposeMembershipChange { Change = new MembershipChange { AddOrganisation = organisation } };
        TxBody.Parser.ParseFrom(bytes).Should().Be(canonical, "the parser takes either form, which is why only one may be signed");

        var refusal = Decode(Signed(bytes)).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TxNotCanonical);
        refusal.Message.Should().Be("the body is not in canonical form: field 4 (roles) of propose_membership_change.change.add_organisation "
            + "is not packed: a repeated scalar is written as one packed run");
    }

    [Fact]
    public void A_oneof_member_holding_its_default_value_is_canonical_and_written()
    {
        var body = Body();
        body.ProposeMembershipChange = new ProposeMembershipChange { Change = new MembershipChange { SuspendOrganisation = "" }, Reason = "r" };
        var bytes = body.ToByteArray();

        // change = { suspend_organisation = "" }: the oneof's member is set, so it is written, empty.
        bytes.AsSpan().IndexOf(new byte[] { 0x0A, 0x02, 0x2A, 0x00 }).Should().BePositive();
        var decoded = Decode(Signed(bytes)).Transaction!;
        decoded.Body.ProposeMembershipChange.Change.ChangeCase.Should().Be(MembershipChange.ChangeOneofCase.SuspendOrganisation);
    }

    [Fact]
    public void An_empty_kind_message_is_canonical_and_left_to_the_contract()
    {
        var body = Body();
        body.IssueCertificate = new IssueCertificate();
        var bytes = body.ToByteArray();

        bytes.AsSpan().EndsWith(new byte[] { 0xA2, 0x01, 0x00 }).Should().BeTrue("a set message field is written even when empty");
        Decode(Signed(bytes)).Transaction!.Body.KindCase.Should().Be(TxBody.KindOneofCase.IssueCertificate);
    }

    [Fact]
    public void A_negative_enum_value_not_sign_extended_is_refused()
    {
        var body = Body();
        body.SignerKey = null;
        var unsigned = body.ToByteArray();
        // signer_key.suite = -1 as five bytes (ff ff ff ff 0f), which the parser reads as the same int32;
        // the canonical form is the ten-byte sign extension.
        byte[] key = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, .. Ld(2, Chamber.Public.Key.ToByteArray())];
        var chainAndOrg = Ld(1, Encoding.UTF8.GetBytes(TestNetwork.ChainId)).Length + Ld(2, Encoding.UTF8.GetBytes(TestNetwork.CnChamber)).Length;
        byte[] bytes = [.. unsigned[..chainAndOrg], .. Ld(3, key), .. unsigned[chainAndOrg..]];
        TxBody.Parser.ParseFrom(bytes).SignerKey.Suite.Should().Be((KeySuite)(-1));

        var refusal = Decode(Signed(bytes)).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TxNotCanonical);
        refusal.Message.Should().Be("the body is not in canonical form: field 1 (suite) of signer_key holds 4294967295, which is not a canonical enum value");
    }

    [Fact]
    public void A_bool_written_as_two_is_refused()
    {
        byte[] certificate = [.. new Certificate { Number = "N" }.ToByteArray(), 0x78, 0x02];
        var bytes = WithKind(Body(), 20, Ld(1, certificate));
        TxBody.Parser.ParseFrom(bytes).IssueCertificate.Certificate.Retrospective.Should().BeTrue();

        var refusal = Decode(Signed(bytes)).Refusal!;

        refusal.Code.Should().Be(RuleCatalog.TxNotCanonical);
        refusal.Message.Should().Be("the body is not in canonical form: field 15 (retrospective) of issue_certificate.certificate holds 2, "
            + "which is not a canonical bool value");
    }

    /// <summary>The body's bytes with its kind replaced by field <paramref name="number"/> holding <paramref name="kind"/>.</summary>
    private static byte[] WithKind(TxBody body, int number, byte[] kind)
    {
        body.ClearKind();
        // Kinds have the highest field numbers, so the kind goes last.
        return [.. body.ToByteArray(), .. Ld(number, kind)];
    }

    /// <summary>A length-delimited field: tag, length, payload.</summary>
    private static byte[] Ld(int number, byte[] payload) =>
        [.. Varint(((ulong)number << 3) | 2), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
