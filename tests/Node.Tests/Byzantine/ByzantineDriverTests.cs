using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Node.Tests.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Byzantine;

/// <summary>
/// What one faulty validator can try against the pure core: timestamps from the future, ever new votes, a second
/// proposal, a flood of next-height messages. Each test fails on the behaviour of main at ec96c90 (issue 18).
/// </summary>
public sealed class ByzantineDriverTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);
    private readonly DriverTestHost _host = new();

    private static IReadOnlyList<DriverEffect> Receive(ConsensusDriver driver, ConsensusMessage message, int from = 1) =>
        driver.Handle(new DriverInput.MessageReceived(message, from));

    private static IEnumerable<SignedVote> Prevotes(IEnumerable<DriverEffect> effects) =>
        effects.OfType<DriverEffect.Broadcast>().Select(b => b.Message).OfType<SignedVote>().Where(v => v.Type == VoteType.Prevote);

    [Fact]
    public void A_fresh_proposal_whose_time_is_too_far_ahead_gets_a_nil_prevote_finding_2()
    {
        _host.Blocks[A] = true;
        _host.Untimely.Add(A);
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        var effects = Receive(driver, _host.Proposal(1, 1, 0, A));

        Prevotes(effects).Should().ContainSingle().Which.Value.Should().BeNull("a block from the future is not prevoted, however valid");
    }

    [Fact]
    public void A_timely_fresh_proposal_is_prevoted()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        var effects = Receive(driver, _host.Proposal(1, 1, 0, A));

        Prevotes(effects).Should().ContainSingle().Which.Value.Should().Be(A);
    }

    [Fact]
    public void A_re_proposal_with_its_polka_is_prevoted_whatever_this_node_s_clock_says()
    {
        // Round 1's proposer (validator 2) re-proposes A, prevoted by 2f+1 in round 0: timeliness was settled then.
        _host.Blocks[A] = true;
        _host.Untimely.Add(A);
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        driver.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Propose));
        foreach (var v in new[] { 1, 2, 3 })
        {
            Receive(driver, _host.Vote(v, VoteType.Prevote, 1, 0, A));
        }
        driver.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Precommit));

        var effects = Receive(driver, _host.Proposal(2, 1, 1, A, validRound: 0));

        Prevotes(effects).Should().ContainSingle(v => v.Round == 1).Which.Value.Should().Be(A);
    }

    [Fact]
    public void A_validator_signing_ever_new_values_is_kept_at_two_values_a_round_and_type_finding_5()
    {
        var keeper = new VoteKeeper(_host.Validators, 1);
        var outcomes = new List<VoteOutcome>();
        var values = Enumerable.Range(0, 200).Select(i => Hash32.Sha256(BitConverter.GetBytes(i))).ToArray();

        foreach (var value in values)
        {
            outcomes.Add(keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, value)).Outcome);
        }

        values.Count(v => keeper.PrevotesFor(0, v).Count > 0).Should().Be(VoteKeeper.ValuesPerValidatorMax);
        outcomes.Skip(1).Should().AllSatisfy(o => o.Should().Be(VoteOutcome.Equivocation));
        keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, values[1])).Outcome.Should().Be(VoteOutcome.Duplicate, "a kept value arriving again is a duplicate");
    }

    [Fact]
    public void Votes_for_other_values_first_cannot_hide_a_vote_for_a_proposed_value()
    {
        // Validator 3 signs prevotes for A and D, then for C, the value validator 1 proposed: C's vote still counts.
        var keeper = new VoteKeeper(_host.Validators, 1);
        var c = Hash32.Sha256("c"u8);
        keeper.AddProposal(_host.Proposal(1, 1, 0, c));
        keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, A));
        keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, Hash32.Sha256("d"u8)));
        keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, c));
        keeper.AddVote(_host.Vote(1, VoteType.Prevote, 1, 0, c));
        keeper.AddVote(_host.Vote(2, VoteType.Prevote, 1, 0, c));

        keeper.HasPolkaFor(0, c).Should().BeTrue();
        keeper.AddVote(_host.Vote(3, VoteType.Prevote, 1, 0, Hash32.Sha256("e"u8))).Outcome.Should().Be(VoteOutcome.Equivocation);
        keeper.PrevotesFor(0, Hash32.Sha256("e"u8)).Should().BeEmpty("a fourth, unproposed value is evidence only");
    }

    [Fact]
    public void A_quorum_for_an_equivocating_proposer_s_second_proposal_is_locked_by_L36_finding_7()
    {
        // Validator 1 proposes A to this node and B to the others; they prevote B. This node prevoted A (the first it
        // saw) and must still lock and precommit B once it holds B's proposal and 2f+1 prevotes for it.
        _host.Blocks[A] = true;
        _host.Blocks[B] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        Receive(driver, _host.Proposal(1, 1, 0, A));
        Receive(driver, _host.Proposal(1, 1, 0, B));
        Receive(driver, _host.Vote(1, VoteType.Prevote, 1, 0, B));
        Receive(driver, _host.Vote(2, VoteType.Prevote, 1, 0, B));

        var effects = Receive(driver, _host.Vote(3, VoteType.Prevote, 1, 0, B));

        effects.OfType<DriverEffect.Broadcast>().Select(b => b.Message).OfType<SignedVote>()
            .Should().ContainSingle(v => v.Type == VoteType.Precommit).Which.Value.Should().Be(B);
        driver.State.LockedValue.Should().Be(B);
    }

    [Fact]
    public void One_peer_flooding_the_next_height_leaves_room_for_the_others()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        for (var round = 0; round < 2_000; round++)
        {
            Receive(driver, _host.Vote(3, VoteType.Prevote, 2, round % 60, Hash32.Sha256(BitConverter.GetBytes(round))), from: 3);
        }
        var full = driver.Counters.NextHeightBufferFull;

        Receive(driver, _host.Vote(1, VoteType.Prevote, 2, 0, A), from: 1);

        full.Should().BeGreaterThan(0, "the flood outgrew its sender's share");
        driver.Counters.NextHeightBufferFull.Should().Be(full, "another peer's message still found room");
    }
}
