using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Node.Chain;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.BadInput;
using Ledger.Wire;

namespace Ledger.Node.Tests.Chain;

/// <summary>Issue 21: a proposer that slips a non-canonical transaction past its own mempool makes its block invalid.</summary>
public sealed class NonCanonicalBlockTests
{
    private static readonly string[] Validators = ["validator-1", "validator-2", "validator-3", "validator-4"];
    private readonly ChainFixture _chain = new();

    public static TheoryData<string, string> Forms() => NonCanonicalSubmitTests.Forms();

    [Theory]
    [MemberData(nameof(Forms))]
    public void A_block_carrying_a_validly_signed_non_canonical_body_is_invalid_and_the_canonical_one_is_valid(string form, string field)
    {
        var canonical = _chain.Suspend("cn-ccpit/A-" + form);
        var key = _chain.MemberKeys[CorridorGenesis.CnChamber];
        // The same transaction in another byte form, signed as carried: the signature is good, the form is not.
        var bytes = NonCanonicalSubmitTests.Form(form, canonical.Body);
        var envelope = new TxEnvelope
        {
            Body = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(SignatureSuites.Sign(key.Private, SignedBytes.ForTransaction(ChainFixture.ChainId, bytes))),
        };
        TransactionDecoder.Decode(envelope, ChainFixture.ChainId, _chain.Config.Limits).Refusal!.Message.Should().Contain(field);
        var slipped = new DecodedTransaction(SignedBytes.TransactionId(ChainFixture.ChainId, bytes), TxBody.Parser.ParseFrom(bytes), envelope);

        var bad = BlockAssembler.Assemble(_chain.View(), "validator-1", _chain.Config.GenesisTimeMs + 60_000, [slipped]);
        var good = BlockAssembler.Assemble(_chain.View(), "validator-1", _chain.Config.GenesisTimeMs + 60_000, [canonical]);

        Verify(bad.Block).Reason.Should().Contain("fails the stateless rules");
        Verify(good.Block).Reason.Should().BeNull();
    }

    private BlockCheck Verify(Block block) =>
        BlockVerifier.Verify(_chain.View(), block, new BlockLimits(), _ => null, _ => true, _ => null);
}
