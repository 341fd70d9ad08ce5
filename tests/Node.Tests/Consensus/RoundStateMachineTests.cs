using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class RoundStateMachineTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);

    private static RoundState At(int round, RoundStep step) => RoundState.ForHeight(5) with { Round = round, Step = step };

    private static RoundTransition Apply(RoundState state, RoundInput input) => RoundStateMachine.Apply(state, input);

    [Fact]
    public void Proposer_asks_for_a_fresh_value_when_it_has_no_valid_value_L18()
    {
        var t = Apply(RoundState.ForHeight(5), new RoundInput.StartRound(0, IsProposer: true));

        t.State.Step.Should().Be(RoundStep.Propose);
        t.Outputs.Should().Equal(new RoundOutput.RequestValue(0));
        Apply(t.State, new RoundInput.ProposeValue(0, A)).Outputs.Should().Equal(new RoundOutput.Propose(5, 0, A, -1));
    }

    [Fact]
    public void Proposer_reproposes_its_valid_value_with_its_valid_round_L15()
    {
        var state = At(2, RoundStep.Precommit) with { ValidValue = B, ValidRound = 1 };

        var t = Apply(state, new RoundInput.StartRound(3, IsProposer: true));

        t.Outputs.Should().Equal(new RoundOutput.Propose(5, 3, B, 1));
    }

    [Fact]
    public void Non_proposer_schedules_timeout_propose_on_start_round_L21()
    {
        var t = Apply(RoundState.ForHeight(5), new RoundInput.StartRound(0, IsProposer: false));

        t.Outputs.Should().Equal(new RoundOutput.ScheduleTimeout(RoundStep.Propose, 0));
    }

    [Fact]
    public void Start_round_never_goes_back_to_an_earlier_or_equal_round_L11()
    {
        var state = At(3, RoundStep.Prevote);

        Apply(state, new RoundInput.StartRound(3, false)).State.Should().Be(state);
        Apply(state, new RoundInput.StartRound(2, false)).State.Should().Be(state);
    }

    [Fact]
    public void Prevotes_a_valid_fresh_proposal_when_not_locked_L22()
    {
        var t = Apply(At(0, RoundStep.Propose), new RoundInput.ProposalReceived(0, A, -1, IsValid: true));

        t.State.Step.Should().Be(RoundStep.Prevote);
        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 0, A));
    }

    [Fact]
    public void Prevotes_nil_for_an_invalid_proposal_L22()
    {
        var t = Apply(At(0, RoundStep.Propose), new RoundInput.ProposalReceived(0, A, -1, IsValid: false));

        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 0, null));
    }

    [Fact]
    public void Prevotes_nil_when_locked_on_another_value_L22()
    {
        var state = At(2, RoundStep.Propose) with { LockedValue = B, LockedRound = 1 };

        var t = Apply(state, new RoundInput.ProposalReceived(2, A, -1, IsValid: true));

        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 2, null));
    }

    [Fact]
    public void Prevotes_the_locked_value_when_it_is_proposed_again_L22()
    {
        var state = At(2, RoundStep.Propose) with { LockedValue = A, LockedRound = 1 };

        var t = Apply(state, new RoundInput.ProposalReceived(2, A, -1, IsValid: true));

        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 2, A));
    }

    [Fact]
    public void Ignores_a_proposal_outside_step_propose_L22()
    {
        var state = At(0, RoundStep.Prevote);

        Apply(state, new RoundInput.ProposalReceived(0, A, -1, true)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Prevotes_a_reproposal_when_locked_no_later_than_its_valid_round_L28()
    {
        var state = At(3, RoundStep.Propose) with { LockedValue = B, LockedRound = 1 };

        var t = Apply(state, new RoundInput.ProposalWithPolkaPrevious(3, A, ValidRound: 2, IsValid: true));

        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 3, A));
    }

    [Fact]
    public void Prevotes_nil_on_a_reproposal_when_locked_after_its_valid_round_L28()
    {
        var state = At(3, RoundStep.Propose) with { LockedValue = B, LockedRound = 2 };

        var t = Apply(state, new RoundInput.ProposalWithPolkaPrevious(3, A, ValidRound: 1, IsValid: true));

        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 3, null));
    }

    [Fact]
    public void Ignores_a_reproposal_whose_valid_round_is_not_earlier_than_the_round_L28()
    {
        var state = At(3, RoundStep.Propose);

        Apply(state, new RoundInput.ProposalWithPolkaPrevious(3, A, ValidRound: 3, IsValid: true)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Schedules_timeout_prevote_once_per_round_L34()
    {
        var first = Apply(At(1, RoundStep.Prevote), new RoundInput.PolkaAny(1));
        var second = Apply(first.State, new RoundInput.PolkaAny(1));

        first.Outputs.Should().Equal(new RoundOutput.ScheduleTimeout(RoundStep.Prevote, 1));
        second.Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Locks_and_precommits_on_a_polka_for_the_proposal_L36()
    {
        var t = Apply(At(1, RoundStep.Prevote), new RoundInput.ProposalWithPolkaCurrent(1, A, IsValid: true));

        t.State.Should().Match<RoundState>(s => s.LockedValue == A && s.LockedRound == 1 && s.ValidValue == A
            && s.ValidRound == 1 && s.Step == RoundStep.Precommit);
        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Precommit, 5, 1, A));
    }

    [Fact]
    public void Updates_valid_value_but_not_lock_when_already_in_step_precommit_L42()
    {
        var state = At(1, RoundStep.Precommit) with { LockedValue = B, LockedRound = 0 };

        var t = Apply(state, new RoundInput.ProposalWithPolkaCurrent(1, A, IsValid: true));

        t.Outputs.Should().BeEmpty();
        t.State.Should().Match<RoundState>(s => s.ValidValue == A && s.ValidRound == 1 && s.LockedValue == B && s.LockedRound == 0);
    }

    [Fact]
    public void Ignores_a_polka_for_an_invalid_proposal_L36()
    {
        Apply(At(1, RoundStep.Prevote), new RoundInput.ProposalWithPolkaCurrent(1, A, IsValid: false)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Precommits_nil_on_a_polka_for_nil_L44()
    {
        var t = Apply(At(1, RoundStep.Prevote), new RoundInput.PolkaNil(1));

        t.State.Step.Should().Be(RoundStep.Precommit);
        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Precommit, 5, 1, null));
    }

    [Fact]
    public void Schedules_timeout_precommit_once_per_round_in_any_step_L47()
    {
        var first = Apply(At(1, RoundStep.Propose), new RoundInput.PrecommitAny(1));
        var second = Apply(first.State, new RoundInput.PrecommitAny(1));

        first.Outputs.Should().Equal(new RoundOutput.ScheduleTimeout(RoundStep.Precommit, 1));
        second.Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Decides_on_commit_quorum_of_an_earlier_round_L49()
    {
        var t = Apply(At(4, RoundStep.Prevote), new RoundInput.CommitQuorum(1, A, IsValid: true));

        t.State.Decision.Should().Be(A);
        t.State.Step.Should().Be(RoundStep.Commit);
        t.Outputs.Should().Equal(new RoundOutput.Decide(1, A));
    }

    [Fact]
    public void Decides_on_commit_quorum_of_a_later_round_L49()
    {
        Apply(At(0, RoundStep.Propose), new RoundInput.CommitQuorum(2, A, IsValid: true)).Outputs
            .Should().Equal(new RoundOutput.Decide(2, A));
    }

    [Fact]
    public void Does_not_decide_an_invalid_value_L49()
    {
        Apply(At(0, RoundStep.Precommit), new RoundInput.CommitQuorum(0, A, IsValid: false)).State.Decision.Should().BeNull();
    }

    [Fact]
    public void Ignores_every_input_after_deciding_L49()
    {
        var decided = Apply(At(0, RoundStep.Precommit), new RoundInput.CommitQuorum(0, A, true)).State;

        Apply(decided, new RoundInput.CommitQuorum(1, B, true)).Outputs.Should().BeEmpty();
        Apply(decided, new RoundInput.TimeoutPrecommit(5, 0)).Outputs.Should().BeEmpty();
        Apply(decided, new RoundInput.RoundSkip(3)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Skips_to_higher_round_on_f_plus_one_messages_L55()
    {
        Apply(At(1, RoundStep.Prevote), new RoundInput.RoundSkip(4)).Outputs.Should().Equal(new RoundOutput.NewRound(4));
    }

    [Fact]
    public void Does_not_skip_to_the_same_or_a_lower_round_L55()
    {
        Apply(At(4, RoundStep.Prevote), new RoundInput.RoundSkip(4)).Outputs.Should().BeEmpty();
        Apply(At(4, RoundStep.Prevote), new RoundInput.RoundSkip(2)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Timeout_propose_in_propose_step_prevotes_nil_L57()
    {
        var t = Apply(At(2, RoundStep.Propose), new RoundInput.TimeoutPropose(5, 2));

        t.State.Step.Should().Be(RoundStep.Prevote);
        t.Outputs.Should().Equal(new RoundOutput.CastVote(VoteType.Prevote, 5, 2, null));
    }

    [Fact]
    public void Timeout_propose_in_prevote_step_does_nothing_L57()
    {
        var state = At(2, RoundStep.Prevote);

        var t = Apply(state, new RoundInput.TimeoutPropose(5, 2));

        t.State.Should().Be(state);
        t.Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Timeout_propose_of_another_height_or_round_does_nothing_L57()
    {
        Apply(At(2, RoundStep.Propose), new RoundInput.TimeoutPropose(4, 2)).Outputs.Should().BeEmpty();
        Apply(At(2, RoundStep.Propose), new RoundInput.TimeoutPropose(5, 1)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Timeout_prevote_in_prevote_step_precommits_nil_L61()
    {
        Apply(At(2, RoundStep.Prevote), new RoundInput.TimeoutPrevote(5, 2)).Outputs
            .Should().Equal(new RoundOutput.CastVote(VoteType.Precommit, 5, 2, null));
    }

    [Fact]
    public void Timeout_prevote_in_precommit_step_does_nothing_L61()
    {
        Apply(At(2, RoundStep.Precommit), new RoundInput.TimeoutPrevote(5, 2)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Timeout_precommit_starts_the_next_round_in_any_step_L65()
    {
        Apply(At(2, RoundStep.Propose), new RoundInput.TimeoutPrecommit(5, 2)).Outputs.Should().Equal(new RoundOutput.NewRound(3));
        Apply(At(2, RoundStep.Precommit), new RoundInput.TimeoutPrecommit(5, 1)).Outputs.Should().BeEmpty();
    }

    [Fact]
    public void Start_round_clears_the_first_time_flags_of_the_previous_round_L34_L36_L47()
    {
        var state = At(1, RoundStep.Precommit) with
        {
            PrevoteTimeoutScheduled = true,
            PrecommitTimeoutScheduled = true,
            PolkaValueHandled = true,
        };

        var next = Apply(state, new RoundInput.StartRound(2, false)).State;

        next.Should().Match<RoundState>(s => !s.PrevoteTimeoutScheduled && !s.PrecommitTimeoutScheduled && !s.PolkaValueHandled);
    }

    [Fact]
    public void Timeouts_grow_with_the_round_and_differ_per_step()
    {
        var timeouts = new TimeoutConfig(3000, 500, 1000, 200, 1500, 300);

        timeouts.DurationMs(RoundStep.Propose, 0).Should().Be(3000);
        timeouts.DurationMs(RoundStep.Propose, 4).Should().Be(5000);
        timeouts.DurationMs(RoundStep.Prevote, 2).Should().Be(1400);
        timeouts.DurationMs(RoundStep.Precommit, 3).Should().Be(2400);
    }
}
