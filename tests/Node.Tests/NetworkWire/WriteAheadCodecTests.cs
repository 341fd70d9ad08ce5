using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Node.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.NetworkWire;

public sealed class WriteAheadCodecTests
{
    private static Hash32 H(byte b) => new(Enumerable.Repeat(b, 32).ToArray());

    [Fact]
    public void A_write_ahead_record_survives_encoding_exactly()
    {
        var prevote = new SignedVote(VoteType.Prevote, 7, 2, H(1), 3, [1, 2, 3]);
        var nil = new SignedVote(VoteType.Precommit, 7, 2, null, 3, [4, 5]);
        var proposal = new SignedProposal(7, 2, H(1), 1, 3, [6]);
        var record = new WriteAheadRecord(7, 2, RoundStep.Precommit, H(1), 2, H(1), 1, [prevote], [proposal, prevote, nil], nil);

        var decoded = WriteAheadCodec.Decode(WriteAheadCodec.Encode(record, 3));

        (decoded.Height, decoded.Round, decoded.Step, decoded.LockedValue, decoded.LockedRound, decoded.ValidValue, decoded.ValidRound)
            .Should().Be((record.Height, record.Round, record.Step, record.LockedValue, record.LockedRound, record.ValidValue, record.ValidRound));
        decoded.ValidPolka.Single().Signature.Should().Equal(1, 2, 3);
        decoded.SignedThisHeight.Select(m => m.GetType()).Should().Equal(typeof(SignedProposal), typeof(SignedVote), typeof(SignedVote));
        WriteAheadCodec.Encode(decoded, 3).Should().Equal(WriteAheadCodec.Encode(record, 3));
        decoded.LastSigned.Should().BeOfType<SignedVote>().Which.Value.Should().BeNull();
        decoded.SignedThisHeight[0].Should().BeOfType<SignedProposal>().Which.ValidRound.Should().Be(1);
    }

    [Fact]
    public void A_record_without_lock_keeps_its_absences()
    {
        var record = new WriteAheadRecord(1, 0, RoundStep.Propose, null, -1, null, -1, [], [], null);

        var decoded = WriteAheadCodec.Decode(WriteAheadCodec.Encode(record, 0));

        decoded.LockedValue.Should().BeNull();
        decoded.ValidValue.Should().BeNull();
        decoded.LastSigned.Should().BeNull();
        decoded.LockedRound.Should().Be(-1);
    }

    [Fact]
    public void A_vote_with_a_malformed_block_id_is_not_decoded()
    {
        ConsensusWire.FromWire(new VoteMessage { Type = VoteType.Prevote, Height = 1, BlockId = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) }).Should().BeNull();
        ConsensusWire.FromWire(new VoteMessage { Type = VoteType.Unspecified, Height = 1 }).Should().BeNull();
        ConsensusWire.FromWire(new ProposalMessage { Height = 1, ValidRound = -2, BlockId = Google.Protobuf.ByteString.CopyFrom(new byte[32]) }).Should().BeNull();
    }
}
