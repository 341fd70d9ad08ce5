using System.Buffers.Binary;
using System.Text;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class ConsensusSignBytesTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);

    [Fact]
    public void Vote_sign_bytes_are_tag_chain_and_a_fixed_width_big_endian_payload()
    {
        var bytes = ConsensusSignBytes.ForVote("ledger-test", VoteType.Precommit, 0x0102030405060708, 9, A);

        var prefix = Encoding.UTF8.GetBytes("ledger.v1/vote\0ledger-test\0");
        bytes.Should().HaveCount(prefix.Length + 45);
        bytes.AsSpan(0, prefix.Length).ToArray().Should().Equal(prefix);
        var payload = bytes.AsSpan(prefix.Length);
        BinaryPrimitives.ReadUInt64BigEndian(payload).Should().Be(0x0102030405060708);
        BinaryPrimitives.ReadUInt32BigEndian(payload[8..]).Should().Be(9);
        payload[12].Should().Be(0x02);
        payload[13..].ToArray().Should().Equal(A.ToArray());
    }

    [Fact]
    public void A_nil_vote_signs_32_zero_bytes()
    {
        var bytes = ConsensusSignBytes.ForVote("c", VoteType.Prevote, 1, 0, null);

        bytes[^32..].Should().OnlyContain(b => b == 0);
        bytes[^33].Should().Be(0x01);
    }

    [Fact]
    public void Proposal_sign_bytes_end_with_the_valid_round_as_signed_int32()
    {
        var fresh = ConsensusSignBytes.ForProposal("c", 1, 2, A, -1);
        var reproposal = ConsensusSignBytes.ForProposal("c", 1, 2, A, 1);

        Encoding.UTF8.GetString(fresh, 0, 19).Should().Be("ledger.v1/proposal\0");
        BinaryPrimitives.ReadInt32BigEndian(fresh.AsSpan(fresh.Length - 4)).Should().Be(-1);
        BinaryPrimitives.ReadInt32BigEndian(reproposal.AsSpan(reproposal.Length - 4)).Should().Be(1);
        fresh[^37].Should().Be(0x20);
    }

    [Fact]
    public void Sign_bytes_differ_by_chain_and_by_type()
    {
        var prevote = ConsensusSignBytes.ForVote("c", VoteType.Prevote, 1, 0, A);

        ConsensusSignBytes.ForVote("d", VoteType.Prevote, 1, 0, A).Should().NotEqual(prevote);
        ConsensusSignBytes.ForVote("c", VoteType.Precommit, 1, 0, A).Should().NotEqual(prevote);
    }
}
