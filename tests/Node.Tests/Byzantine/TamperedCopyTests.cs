using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Node.Chain;
using Ledger.Node.Tests.Chain;
using Ledger.Wire;

namespace Ledger.Node.Tests.Byzantine;

/// <summary>
/// Finding 1 of issue 18: at ec96c90 a block's id covered transaction ids but not signatures, so a proposer could send
/// one validator a copy with a flipped signature under the good block's id; that validator cached Invalid for the id and
/// the network stalled. Now the id commits to every byte validity reads, and a copy that differs is not the block.
/// </summary>
public sealed class TamperedCopyTests
{
    private static readonly string[] Validators = ["validator-1", "validator-2", "validator-3", "validator-4"];
    private readonly ChainFixture _chain = new();

    private ProposedBlock Assemble() =>
        BlockAssembler.Assemble(_chain.View(), "validator-1", _chain.Config.GenesisTimeMs + 60_000, [_chain.Suspend("cn-ccpit/A"), _chain.Suspend("cn-ccpit/B")]);

    private static Block WithFlippedSignature(Block block)
    {
        var copy = block.Clone();
        var signature = copy.Transactions[1].Signature.ToByteArray();
        signature[5] ^= 0x01;
        copy.Transactions[1].Signature = ByteString.CopyFrom(signature);
        return copy;
    }

    [Fact]
    public void A_flipped_signature_is_not_a_copy_of_the_block_it_claims_to_be()
    {
        var proposed = Assemble();
        var tampered = WithFlippedSignature(proposed.Block);

        BlockHashing.HeaderHash(tampered.Header).Should().Be(proposed.Id, "the tamperer keeps the header, so the copy claims the good id");
        BlockCopy.Mismatch(ChainFixture.ChainId, proposed.Block, proposed.Id).Should().BeNull();
        BlockCopy.Mismatch(ChainFixture.ChainId, tampered, proposed.Id).Should().Contain("signatures");
    }

    [Fact]
    public void A_block_s_id_commits_to_its_transactions_signatures()
    {
        var proposed = Assemble();
        var tampered = WithFlippedSignature(proposed.Block);
        var ids = proposed.Transactions.Select(t => t.Id).ToArray();

        BlockHashing.TxRoot(ids, tampered.Transactions).Should().NotBe(BlockHashing.TxRoot(ids, proposed.Block.Transactions));
    }

    [Fact]
    public void Every_faithful_copy_gets_the_verdict_of_the_original_even_when_padded()
    {
        var proposed = Assemble();
        // Unknown fields change a copy's encoding but none of the bytes its id commits to.
        var padded = Block.Parser.ParseFrom([.. proposed.Block.ToByteArray(), .. new byte[] { 0xfa, 0x3f, 0x04, 1, 2, 3, 4 }]);
        // An envelope padded past the transaction size limit (65,536 bytes): the decoder would refuse it as it came.
        padded.Transactions[0] = TxEnvelope.Parser.ParseFrom([.. proposed.Block.Transactions[0].ToByteArray(), .. PaddingField(70_000)]);

        BlockCopy.Mismatch(ChainFixture.ChainId, padded, proposed.Id).Should().BeNull("padding is not what the id commits to");
        var kept = BlockCopy.Canonical(padded);
        kept.ToByteArray().Should().Equal(proposed.Block.ToByteArray(), "a node keeps the protocol's fields only");
        var limits = new BlockLimits(2, proposed.Block.Transactions.Sum(t => (long)t.Body.Length + t.Signature.Length));
        BlockVerifier.Verify(_chain.View(), kept, limits, _ => null, _ => true, _ => null).Reason
            .Should().BeNull("the kept copy gets the original's verdict");
    }

    [Fact]
    public void A_copy_padded_past_the_largest_block_is_dropped_unread()
    {
        var proposed = Assemble();
        var padded = Block.Parser.ParseFrom([.. proposed.Block.ToByteArray(), .. PaddingField((int)BlockCopy.BytesMax)]);

        BlockCopy.Mismatch(ChainFixture.ChainId, padded, proposed.Id).Should().Contain("larger");
    }

    private static byte[] PaddingField(int length)
    {
        // Field 100, wire type 2 (length-delimited): an unknown field to Block.
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(100, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(new byte[length]));
        coded.Flush();
        return output.ToArray();
    }

    [Fact]
    public void A_block_time_at_the_end_of_time_or_past_it_is_refused_and_no_next_time_overflows_finding_2()
    {
        var proposed = Assemble();
        var far = proposed.Block.Clone();
        far.Header.TimeMs = long.MaxValue;

        BlockVerifier.CheckHeader(_chain.View(), far, new BlockLimits(), _ => true).Should().Contain("past the last block time");
        BlockTime.Next(BlockTime.MaxMs - 1, long.MaxValue).Should().Be(BlockTime.MaxMs);
        BlockTime.Next(BlockTime.MaxMs, 0).Should().BeNull("no block can follow the last block time");
        BlockTime.Next(1_000, 500).Should().Be(1_001, "time moves forward whatever a clock says");
    }
}
