using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class VoteKeeperTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);

    private static SignedVote Prevote(int validator, int round, Hash32? value) =>
        new(VoteType.Prevote, 1, round, value, validator, [(byte)validator]);

    private static SignedVote Precommit(int validator, int round, Hash32? value) =>
        new(VoteType.Precommit, 1, round, value, validator, [(byte)validator]);

    [Fact]
    public void Counts_power_by_distinct_validator_so_a_repeated_vote_adds_nothing()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);

        keeper.AddVote(Prevote(0, 0, A));
        keeper.AddVote(Prevote(1, 0, A)).Outcome.Should().Be(VoteOutcome.Added);
        keeper.AddVote(Prevote(1, 0, A)).Outcome.Should().Be(VoteOutcome.Duplicate);

        keeper.HasPolkaFor(0, A).Should().BeFalse();
        keeper.AddVote(Prevote(2, 0, A)).Events.Should().Contain(new ThresholdEvent(ThresholdKind.PolkaValue, 0, A));
        keeper.HasPolkaFor(0, A).Should().BeTrue();
    }

    [Fact]
    public void Emits_each_threshold_once()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);
        var events = new List<ThresholdEvent>();

        for (var v = 0; v < 4; v++)
        {
            events.AddRange(keeper.AddVote(Precommit(v, 0, A)).Events);
        }

        events.Should().Equal(
            new ThresholdEvent(ThresholdKind.RoundSkip, 0, null),
            new ThresholdEvent(ThresholdKind.PrecommitAny, 0, null),
            new ThresholdEvent(ThresholdKind.PrecommitValue, 0, A));
    }

    [Fact]
    public void Keeps_the_first_vote_for_anything_and_records_a_different_second_one_as_evidence()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);
        var first = Prevote(3, 0, A);
        var second = Prevote(3, 0, B);

        keeper.AddVote(first);
        var result = keeper.AddVote(second);
        keeper.AddVote(Prevote(0, 0, B));

        result.Outcome.Should().Be(VoteOutcome.Equivocation);
        result.Evidence.Should().Be(new EquivocationEvidence(first, second));
        keeper.HasPolkaAny(0).Should().BeFalse("the equivocator's power counts once for anything");
        keeper.AddVote(Prevote(3, 0, null)).Evidence.Should().BeNull("one evidence per validator and type is enough");
    }

    [Fact]
    public void Counts_an_equivocators_vote_for_each_value_it_signed_so_a_proven_quorum_is_not_hidden()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);

        keeper.AddVote(Precommit(0, 0, null));
        keeper.AddVote(Precommit(0, 0, A)).Outcome.Should().Be(VoteOutcome.Equivocation);
        keeper.AddVote(Precommit(1, 0, A));
        keeper.AddVote(Precommit(2, 0, A));

        keeper.CommitQuorums.Should().Equal((0, A));
        keeper.PrecommitsFor(0, A).Select(v => v.ValidatorIndex).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Records_a_second_different_proposal_of_the_proposer_as_evidence()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);
        var first = new SignedProposal(1, 0, A, -1, 1, [1]);
        var second = new SignedProposal(1, 0, B, -1, 1, [2]);

        keeper.AddProposal(first);
        var result = keeper.AddProposal(second);

        result.Outcome.Should().Be(VoteOutcome.Equivocation);
        result.Evidence.Should().Be(new EquivocationEvidence(first, second));
        keeper.ProposalOf(0).Should().BeSameAs(first);
    }

    [Fact]
    public void Round_skip_needs_more_than_a_third_of_the_power_of_any_message_type()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);

        keeper.AddVote(Prevote(0, 3, null));
        keeper.HighestSkipRound(0).Should().BeNull();
        keeper.AddProposal(new SignedProposal(1, 3, A, -1, 0, [0])).Events.Should().BeEmpty("same validator");
        keeper.AddVote(Precommit(2, 3, A)).Events.Should().Contain(new ThresholdEvent(ThresholdKind.RoundSkip, 3, null));
        keeper.HighestSkipRound(0).Should().Be(3);
        keeper.HighestSkipRound(3).Should().BeNull();
    }

    [Fact]
    public void Weighs_votes_by_power()
    {
        var keeper = new VoteKeeper(new ConsensusValidatorSet([5, 1, 1, 1]), 1);

        keeper.AddVote(Prevote(0, 0, A)).Events.Should().NotContain(e => e.Kind == ThresholdKind.PolkaValue);
        keeper.AddVote(Prevote(1, 0, A)).Events.Should().Contain(new ThresholdEvent(ThresholdKind.PolkaValue, 0, A));
    }

    [Fact]
    public void Keeps_commit_quorums_of_all_rounds_in_round_order()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);

        foreach (var round in new[] { 4, 1 })
        {
            for (var v = 0; v < 3; v++)
            {
                keeper.AddVote(Precommit(v, round, round == 4 ? B : A));
            }
        }

        keeper.CommitQuorums.Should().Equal((1, A), (4, B));
        keeper.PrecommitsFor(4, B).Select(v => v.ValidatorIndex).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Polka_for_nil_and_polka_any_are_separate_thresholds()
    {
        var keeper = new VoteKeeper(ConsensusValidatorSet.Equal(4), 1);

        keeper.AddVote(Prevote(0, 0, null));
        keeper.AddVote(Prevote(1, 0, null));
        keeper.AddVote(Prevote(2, 0, A));

        keeper.HasPolkaAny(0).Should().BeTrue();
        keeper.HasPolkaNil(0).Should().BeFalse();
        keeper.AddVote(Prevote(3, 0, null));
        keeper.HasPolkaNil(0).Should().BeTrue();
    }
}
