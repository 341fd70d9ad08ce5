using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Transactions that break a stateless or an identity rule are refused at Submit, before any block:
/// the rule's status and code, no new block, the same state root, and the node commits the next good one.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class SubmitRefusalTests
{
    private readonly BadInputNode _node;
    private readonly Members _members;

    public SubmitRefusalTests(BadInputNode node)
    {
        _node = node;
        _members = new Members(node);
    }

    public static TheoryData<string, StatusCode, string> Cases() => new()
    {
        { "wrong-chain-id", StatusCode.InvalidArgument, RuleCatalog.WrongChain },
        { "signature-flipped", StatusCode.InvalidArgument, RuleCatalog.SignatureInvalid },
        { "signature-of-another-member", StatusCode.InvalidArgument, RuleCatalog.SignatureInvalid },
        { "signature-empty", StatusCode.InvalidArgument, RuleCatalog.SignatureInvalid },
        { "key-of-another-member", StatusCode.PermissionDenied, RuleCatalog.SignerUnknown },
        { "unknown-key", StatusCode.PermissionDenied, RuleCatalog.SignerUnknown },
        { "unknown-organisation", StatusCode.PermissionDenied, RuleCatalog.SignerUnknown },
        { "customs-issuing-a-certificate", StatusCode.PermissionDenied, RuleCatalog.RoleNotAllowed },
        { "auditor-declaring-a-consignment", StatusCode.PermissionDenied, RuleCatalog.RoleNotAllowed },
        { "chamber-recording-a-checkpoint", StatusCode.PermissionDenied, RuleCatalog.RoleNotAllowed },
        { "body-not-protobuf", StatusCode.InvalidArgument, RuleCatalog.TxMalformed },
        { "body-truncated", StatusCode.InvalidArgument, RuleCatalog.TxMalformed },
        { "body-invalid-utf8", StatusCode.InvalidArgument, RuleCatalog.TxMalformed },
        { "body-nested-too-deep", StatusCode.InvalidArgument, RuleCatalog.TxMalformed },
        { "body-of-another-message-type", StatusCode.InvalidArgument, RuleCatalog.TxKindUnknown },
        { "signer-key-missing", StatusCode.InvalidArgument, RuleCatalog.TxMalformed },
        { "goods-list-too-long", StatusCode.InvalidArgument, RuleCatalog.TooManyItems },
        { "string-too-long", StatusCode.InvalidArgument, RuleCatalog.FieldTooLong },
        { "envelope-too-large", StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge },
        // Sizes are answered by rule, whatever the size: not MEMPOOL_FULL (the mempool holds 16 MiB), not Unknown
        // (Kestrel's body limit is 30 MB), not a transport error without a code.
        { "envelope-one-byte-over-the-limit", StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge },
        { "envelope-of-20-mib", StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge },
        { "envelope-of-40-mib", StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_transaction_breaking_a_rule_is_refused_at_submit_and_changes_nothing(string input, StatusCode status, string code)
    {
        var before = await _node.HeadAsync();

        var refused = await _node.SubmitRefusedAsync(Envelope(input));

        refused.ShouldBeRefusal(status, code);
        (await _node.HeadAsync()).Should().Be(before, "a refused transaction takes no place in a block");
        await AssertStillCommitsAsync(input);
    }

    [Fact]
    public async Task A_submit_without_a_transaction_is_invalid()
    {
        var before = await _node.HeadAsync();

        var refused = await BadInputCalls.RefusedAsync(o => _node.Public.SubmitAsync(new SubmitRequest { WaitForCommit = true }, o).ResponseAsync);

        refused.StatusCode.Should().Be(StatusCode.InvalidArgument);
        refused.Status.Detail.Should().Contain("transaction");
        (await _node.HeadAsync()).Should().Be(before);
    }

    private TxEnvelope Envelope(string input)
    {
        var number = "BI-" + input;
        switch (input)
        {
            case "wrong-chain-id":
                return _members.Signed(CnChamber, Members.Issue(number), chainId: "another-chain");
            case "signature-flipped":
                {
                    var envelope = _members.Signed(CnChamber, Members.Issue(number));
                    var signature = envelope.Signature.ToByteArray();
                    signature[signature.Length / 2] ^= 0x01;
                    return new TxEnvelope { Body = envelope.Body, Signature = ByteString.CopyFrom(signature) };
                }
            case "signature-of-another-member":
                {
                    // cn-ccpit's body with cn-ccpit's key named, signed by the Kazakh chamber.
                    var body = _members.Body(CnChamber, _node.KeyOf(CnChamber).Public, Members.Issue(number));
                    return Members.SignedRaw(body.ToByteArray(), _node.KeyOf(KzChamber));
                }
            case "signature-empty":
                return new TxEnvelope { Body = _members.Signed(CnChamber, Members.Issue(number)).Body };
            case "key-of-another-member":
                {
                    // Validly signed, but with a key cn-ccpit does not hold.
                    var kz = _node.KeyOf(KzChamber);
                    return TransactionSigner.Sign(BadInputNode.ChainId, _members.Body(CnChamber, kz.Public, Members.Issue(number)), kz);
                }
            case "unknown-key":
                {
                    var stranger = SignatureSuites.Generate(KeySuite.Sm2Sm3);
                    return TransactionSigner.Sign(BadInputNode.ChainId, _members.Body(CnChamber, stranger.Public, Members.Issue(number)), stranger);
                }
            case "unknown-organisation":
                {
                    var stranger = SignatureSuites.Generate(KeySuite.Ed25519);
                    return TransactionSigner.Sign(BadInputNode.ChainId, _members.Body("cn-nobody", stranger.Public, Members.Issue(number)), stranger);
                }
            case "customs-issuing-a-certificate":
                // kz-customs: cn-customs has its key rotated by another test of this node.
                return _members.Signed(KzCustoms, Members.Issue(number));
            case "auditor-declaring-a-consignment":
                return _members.Signed(Auditor, b => b.DeclareConsignment = new DeclareConsignment { ConsignmentId = number, Mode = TransportMode.Rail });
            case "chamber-recording-a-checkpoint":
                return _members.Signed(CnChamber, b => b.RecordCheckpointEvent = new RecordCheckpointEvent { ConsignmentId = number, Checkpoint = Alashankou });
            case "body-not-protobuf":
                return Members.SignedRaw(MalformedInputs.Bytes("garbage"), _node.KeyOf(CnChamber));
            case "body-truncated":
                {
                    var body = _members.Body(CnChamber, _node.KeyOf(CnChamber).Public, Members.Issue(number)).ToByteArray();
                    return Members.SignedRaw(body[..(body.Length - 5)], _node.KeyOf(CnChamber));
                }
            case "body-invalid-utf8":
                {
                    // A good body followed by signer_org (field 2) again, holding bytes that are not UTF-8: the last value wins.
                    var body = _members.Body(CnChamber, _node.KeyOf(CnChamber).Public, Members.Issue(number)).ToByteArray();
                    return Members.SignedRaw([.. body, 0x12, 0x02, 0xC3, 0x28], _node.KeyOf(CnChamber));
                }
            case "body-nested-too-deep":
                {
                    var body = _members.Body(CnChamber, _node.KeyOf(CnChamber).Public, Members.Issue(number)).ToByteArray();
                    return Members.SignedRaw([.. body, .. MalformedInputs.Bytes("deep-nesting")], _node.KeyOf(CnChamber));
                }
            case "body-of-another-message-type":
                // A valid GetCertificateRequest: its field 1 reads as this chain's id, and it names no kind.
                return Members.SignedRaw(new GetCertificateRequest { CertificateId = BadInputNode.ChainId }.ToByteArray(), _node.KeyOf(CnChamber));
            case "signer-key-missing":
                {
                    var key = _node.KeyOf(CnChamber);
                    var body = _members.Body(CnChamber, key.Public, Members.Issue(number));
                    body.SignerKey = null;
                    return Members.SignedRaw(body.ToByteArray(), key);
                }
            case "goods-list-too-long":
                {
                    var certificate = Members.Certificate(number);
                    var line = certificate.Goods[0];
                    certificate.Goods.Clear();
                    certificate.Goods.AddRange(Enumerable.Range(1, 201).Select(i => new GoodsLine(line) { ItemNo = (uint)i }));
                    return _members.Signed(CnChamber, Members.Issue(certificate));
                }
            case "string-too-long":
                {
                    var certificate = Members.Certificate(number);
                    certificate.Exporter.Name = new string('x', 1_025);
                    return _members.Signed(CnChamber, Members.Issue(certificate));
                }
            case "envelope-too-large":
                {
                    var certificate = Members.Certificate(number);
                    certificate.Goods.AddRange(Enumerable.Range(2, 150).Select(i => new GoodsLine(certificate.Goods[0]) { ItemNo = (uint)i, Description = new string('d', 1_000) }));
                    return _members.Signed(CnChamber, Members.Issue(certificate));
                }
            case "envelope-one-byte-over-the-limit":
                return EnvelopeOf(65_536 + 1);
            case "envelope-of-20-mib":
                return EnvelopeOf(20 * 1024 * 1024);
            case "envelope-of-40-mib":
                return EnvelopeOf(40 * 1024 * 1024);
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "no such case");
        }
    }

    /// <summary>An envelope of exactly <paramref name="bytes"/> bytes (a body of zeros: its size is refused before anything else).</summary>
    private static TxEnvelope EnvelopeOf(int bytes)
    {
        var body = bytes - 2;
        while (new TxEnvelope { Body = ByteString.CopyFrom(new byte[body]) }.CalculateSize() > bytes)
        {
            body--;
        }
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(new byte[body]) };
        envelope.CalculateSize().Should().Be(bytes);
        return envelope;
    }

    /// <summary>The node still takes and commits a good transaction after the bad one.</summary>
    private async Task AssertStillCommitsAsync(string after)
    {
        var good = await _node.CommitAsync(_members.Signed(CnChamber, Members.Issue($"BI-GOOD-AFTER-{after}")));
        good.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, good.Receipt.Receipt.Message);
    }
}
