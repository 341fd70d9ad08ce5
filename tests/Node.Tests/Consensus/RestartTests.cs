using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class RestartTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);
    private readonly DriverTestHost _host = new();

    private static WriteAheadRecord LastRecord(IEnumerable<DriverEffect> effects) =>
        effects.OfType<DriverEffect.PersistWriteAhead>().Last().Record;

    private static IEnumerable<T> Sent<T>(IEnumerable<DriverEffect> effects) where T : ConsensusMessage =>
        effects.OfType<DriverEffect.Broadcast>().Select(b => b.Message).OfType<T>();

    [Fact]
    public void Restarted_proposer_resends_its_signed_proposal_instead_of_signing_another()
    {
        _host.NextValue = A;
        var before = _host.Driver(1).StartHeight(1);
        var proposal = Sent<SignedProposal>(before).Single();
        // The crash came after the persist of a record whose last signature is the proposal.
        var record = LastRecord(before) with { Step = RoundStep.Propose, SignedThisHeight = [proposal], LastSigned = proposal };

        _host.NextValue = B;
        var restarted = _host.Driver(1);
        var after = restarted.Resume(record, 1);

        Sent<SignedProposal>(after).Should().OnlyContain(p => p.Value == A && p.Signature.SequenceEqual(proposal.Signature));
        Sent<SignedVote>(after).Should().OnlyContain(v => v.Value == A);
        restarted.Counters.RefusedSigning.Should().Be(0);
    }

    [Fact]
    public void Restart_resends_the_last_signed_vote_and_never_signs_another_for_that_round()
    {
        _host.Blocks[A] = true;
        _host.Blocks[B] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        var effects = driver.Handle(new DriverInput.MessageReceived(_host.Proposal(1, 1, 0, A), 1));
        var prevote = Sent<SignedVote>(effects).Single();
        var record = LastRecord(effects);

        var restarted = _host.Driver(0);
        var after = new List<DriverEffect>(restarted.Resume(record, 1));
        after.AddRange(restarted.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Propose)));
        after.AddRange(restarted.Handle(new DriverInput.MessageReceived(_host.Proposal(1, 1, 0, B), 1)));

        Sent<SignedVote>(after).Where(v => v.Type == VoteType.Prevote && v.Round == 0)
            .Should().ContainSingle().Which.Signature.Should().Equal(prevote.Signature);
    }

    [Fact]
    public void Restart_keeps_the_lock_and_prevotes_nil_for_another_value_L22()
    {
        _host.Blocks[A] = true;
        _host.Blocks[B] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        var effects = new List<DriverEffect>();
        effects.AddRange(driver.Handle(new DriverInput.MessageReceived(_host.Proposal(1, 1, 0, A), 1)));
        effects.AddRange(driver.Handle(new DriverInput.MessageReceived(_host.Vote(1, VoteType.Prevote, 1, 0, A), 1)));
        effects.AddRange(driver.Handle(new DriverInput.MessageReceived(_host.Vote(2, VoteType.Prevote, 1, 0, A), 2)));
        var record = LastRecord(effects);
        record.LockedValue.Should().Be(A);

        var restarted = _host.Driver(0);
        restarted.Resume(record, 1);
        restarted.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Precommit));
        var after = restarted.Handle(new DriverInput.MessageReceived(_host.Proposal(2, 1, 1, B), 2)); // proposer(1, 1) = 2

        Sent<SignedVote>(after).Should().ContainSingle(v => v.Round == 1 && v.Type == VoteType.Prevote && v.Value == null);
    }

    [Fact]
    public void Restart_from_a_record_of_a_decided_height_starts_the_next_height()
    {
        var record = new WriteAheadRecord(1, 0, RoundStep.Commit, A, 0, A, 0, [], [], null);
        var driver = _host.Driver(0);

        driver.Resume(record, 2);

        driver.State.Height.Should().Be(2);
        driver.State.LockedValue.Should().BeNull();
    }

    [Fact]
    public void Signing_guard_refuses_a_different_value_and_anything_earlier_than_its_last_signature()
    {
        var guard = new SigningGuard(DriverTestHost.Chain, _host.Keys.SignerFor(0), null);

        var first = guard.SignVote(VoteType.Prevote, 1, 2, A);

        guard.SignVote(VoteType.Prevote, 1, 2, A).Should().BeSameAs(first);
        guard.SignVote(VoteType.Prevote, 1, 2, B).Should().BeNull();
        guard.SignVote(VoteType.Prevote, 1, 1, B).Should().BeNull();
        guard.SignProposal(1, 2, B, -1).Should().BeNull();
        guard.SignVote(VoteType.Precommit, 1, 2, null).Should().NotBeNull();
        guard.Refused.Should().Be(3);
    }
}
