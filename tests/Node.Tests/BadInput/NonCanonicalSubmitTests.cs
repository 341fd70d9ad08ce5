using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Issue 21: each byte form of a transaction other than the canonical one, validly signed, is refused at Submit with
/// TX_NOT_CANONICAL naming the field, and changes nothing; the canonical form of the same transaction then commits.
/// At ec96c90 every one of them was accepted (a repeated chain_id with another chain's first: committed, last wins).
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class NonCanonicalSubmitTests(BadInputNode node)
{
    private readonly Members _members = new(node);

    public static TheoryData<string, string> Forms() => new()
    {
        { "unknown-field", "99" },
        { "fields-out-of-order", "nonce" },
        { "a-field-repeated", "signer_org" },
        { "chain-id-twice-another-chain-first", "chain_id" },
        { "two-kinds", "kind" },
        { "a-default-written", "created_at_ms" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_non_canonical_form_is_refused_naming_its_field_and_the_canonical_form_commits(string form, string field)
    {
        var key = node.KeyOf(CnChamber);
        var body = _members.Body(CnChamber, key.Public, Members.Issue("BI-FORM-" + form));
        var before = await node.HeadAsync();

        var refused = await node.SubmitRefusedAsync(Members.SignedRaw(Form(form, body), key));

        refused.ShouldBeRefusal(StatusCode.InvalidArgument, RuleCatalog.TxNotCanonical);
        refused.Status.Detail.Should().Contain(field);
        (await node.HeadAsync()).Should().Be(before, "a refused transaction takes no place in a block");
        var canonical = await node.CommitAsync(Members.SignedRaw(body.ToByteArray(), key));
        canonical.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, canonical.Receipt.Receipt.Message);
    }

    /// <summary>The same logical transaction as <paramref name="body"/>, in another byte form.</summary>
    internal static byte[] Form(string form, TxBody body)
    {
        var canonical = body.ToByteArray();
        switch (form)
        {
            case "unknown-field":
                return [.. canonical, 0x98, 0x06, 0x01];
            case "fields-out-of-order":
                {
                    var withoutNonce = body.Clone();
                    withoutNonce.Nonce = 0;
                    return [.. withoutNonce.ToByteArray(), .. Field(w => w.WriteUInt64(body.Nonce), 4, WireFormat.WireType.Varint)];
                }
            case "a-field-repeated":
                return [.. canonical, .. Field(w => w.WriteString(body.SignerOrg), 2, WireFormat.WireType.LengthDelimited)];
            case "chain-id-twice-another-chain-first":
                return [.. Field(w => w.WriteString("another-chain"), 1, WireFormat.WireType.LengthDelimited), .. canonical];
            case "two-kinds":
                {
                    // The body's kind, then a checkpoint event (field 41, after every certificate kind): in number order, but a
                    // parser keeps only the last kind.
                    var second = new TxBody { RecordCheckpointEvent = new RecordCheckpointEvent { ConsignmentId = "ANY", Checkpoint = "X" } };
                    return [.. canonical, .. second.ToByteArray()];
                }
            case "a-default-written":
                {
                    // Fields 1-4, then created_at_ms = 0 written out, then the kind: in order, but a default is written.
                    var head = new TxBody { ChainId = body.ChainId, SignerOrg = body.SignerOrg, SignerKey = body.SignerKey, Nonce = body.Nonce };
                    var kind = body.Clone();
                    (kind.ChainId, kind.SignerOrg, kind.SignerKey, kind.Nonce, kind.CreatedAtMs) = ("", "", null, 0, 0);
                    return [.. head.ToByteArray(), .. Field(w => w.WriteInt64(0), 5, WireFormat.WireType.Varint), .. kind.ToByteArray()];
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, "no such form");
        }
    }

    private static byte[] Field(Action<CodedOutputStream> write, int number, WireFormat.WireType type)
    {
        using var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(number, type);
        write(coded);
        coded.Flush();
        return output.ToArray();
    }
}
