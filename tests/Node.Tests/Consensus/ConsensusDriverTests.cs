using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class ConsensusDriverTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);
    private readonly DriverTestHost _host = new();

    private static IReadOnlyList<DriverEffect> Receive(ConsensusDriver driver, ConsensusMessage message, int from = 1) =>
        driver.Handle(new DriverInput.MessageReceived(message, from));

    private static IEnumerable<T> Sent<T>(IEnumerable<DriverEffect> effects) where T : ConsensusMessage =>
        effects.OfType<DriverEffect.Broadcast>().Select(b => b.Message).OfType<T>();

    [Fact]
    public void Proposer_persists_before_it_broadcasts_its_proposal_and_prevote()
    {
        var driver = _host.Driver(1); // proposer(1, 0) = validators[(1 + 0) mod 4]

        var effects = driver.StartHeight(1);

        effects[0].Should().BeOfType<DriverEffect.PersistWriteAhead>();
        Sent<SignedProposal>(effects).Should().ContainSingle(p => p.Value == _host.NextValue && p.ValidRound == -1);
        Sent<SignedVote>(effects).Should().ContainSingle(v => v.Type == VoteType.Prevote && v.Value == _host.NextValue);
        ((DriverEffect.PersistWriteAhead)effects[0]).Record.LastSigned.Should().BeOfType<SignedVote>();
    }

    [Fact]
    public void Decides_with_a_certificate_that_verifies_L49()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        Receive(driver, _host.Proposal(1, 1, 0, A));
        Receive(driver, _host.Vote(1, VoteType.Prevote, 1, 0, A));
        var precommit = Receive(driver, _host.Vote(2, VoteType.Prevote, 1, 0, A));
        Sent<SignedVote>(precommit).Should().ContainSingle(v => v.Type == VoteType.Precommit && v.Value == A);

        Receive(driver, _host.Vote(1, VoteType.Precommit, 1, 0, A));
        var effects = Receive(driver, _host.Vote(3, VoteType.Precommit, 1, 0, A));

        var decide = effects.OfType<DriverEffect.Decide>().Single();
        decide.BlockId.Should().Be(A);
        CommitCertificateVerifier.Verify(_host.Validators, DriverTestHost.Chain, decide.Certificate, _host.Keys)
            .Should().Be(CommitCertificateVerdict.Valid);
        decide.Certificate.Signatures.Select(s => s.ValidatorIndex).Should().Equal(0u, 1u, 3u);
    }

    [Fact]
    public void Requests_a_block_named_by_precommits_it_never_received_then_decides_rule_2()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        Receive(driver, _host.Vote(1, VoteType.Precommit, 1, 0, B));
        Receive(driver, _host.Vote(2, VoteType.Precommit, 1, 0, B));
        var asked = Receive(driver, _host.Vote(3, VoteType.Precommit, 1, 0, B));

        asked.Should().ContainSingle(e => e is DriverEffect.RequestBlock).Which.Should().Be(new DriverEffect.RequestBlock(1, B));
        asked.OfType<DriverEffect.Decide>().Should().BeEmpty();

        _host.Blocks[B] = true;
        var effects = driver.Handle(new DriverInput.BlockReceived(1, B));

        effects.OfType<DriverEffect.Decide>().Should().ContainSingle(d => d.BlockId == B && d.Round == 0);
    }

    [Fact]
    public void Decides_on_precommits_of_an_earlier_round_after_moving_on_L49()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        driver.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Propose));
        driver.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Prevote));
        driver.Handle(new DriverInput.TimeoutElapsed(1, 0, RoundStep.Precommit));
        driver.State.Round.Should().Be(1);

        Receive(driver, _host.Proposal(1, 1, 0, A));
        Receive(driver, _host.Vote(1, VoteType.Precommit, 1, 0, A));
        Receive(driver, _host.Vote(2, VoteType.Precommit, 1, 0, A));
        var effects = Receive(driver, _host.Vote(3, VoteType.Precommit, 1, 0, A));

        effects.OfType<DriverEffect.Decide>().Should().ContainSingle(d => d.Round == 0 && d.BlockId == A);
    }

    [Fact]
    public void Skips_to_higher_round_on_f_plus_one_messages_L55()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        Receive(driver, _host.Vote(2, VoteType.Prevote, 1, 3, null));
        driver.State.Round.Should().Be(0);
        Receive(driver, _host.Vote(3, VoteType.Precommit, 1, 3, null));

        driver.State.Round.Should().Be(3);
    }

    [Fact]
    public void Drops_and_counts_bad_signatures_unknown_validators_wrong_proposers_and_malformed_messages()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        var good = _host.Vote(2, VoteType.Prevote, 1, 0, A);

        Receive(driver, good with { Signature = new byte[32] });
        Receive(driver, good with { ValidatorIndex = 7 });
        Receive(driver, _host.Proposal(2, 1, 0, A));
        Receive(driver, good with { Round = -1 });

        driver.Counters.Should().Match<Ledger.Node.Consensus.ConsensusCounters>(c =>
            c.BadSignature == 1 && c.UnknownValidator == 1 && c.WrongProposer == 1 && c.Malformed == 1);
    }

    [Fact]
    public void A_signature_longer_than_any_suite_makes_is_malformed_before_it_is_verified()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        var vote = _host.Vote(2, VoteType.Prevote, 1, 0, A);

        Receive(driver, vote with { Signature = new byte[SignatureSuites.SignatureBytesMax + 1] });
        Receive(driver, _host.Proposal(1, 1, 0, A) with { Signature = new byte[64 * 1024] });

        driver.Counters.Should().Match<Ledger.Node.Consensus.ConsensusCounters>(c => c.Malformed == 2 && c.BadSignature == 0);
    }

    [Fact]
    public void Buffers_next_height_messages_and_drops_far_future_ones()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        Receive(driver, _host.Proposal(2, 2, 0, A)); // proposer(2, 0) = 2
        Receive(driver, _host.Vote(1, VoteType.Prevote, 5, 0, A));
        var effects = driver.StartHeight(2);

        driver.Counters.FarFutureHeight.Should().Be(1);
        Sent<SignedVote>(effects).Should().ContainSingle(v => v.Height == 2 && v.Type == VoteType.Prevote && v.Value == A);
    }

    [Fact]
    public void Offers_the_decided_certificate_to_a_peer_sending_an_old_height_once_per_tick()
    {
        var certificate = _host.Certificate(2, 0, A, 0, 1, 2);
        _host.Certificates[2] = certificate;
        var driver = _host.Driver(0);
        driver.StartHeight(3);

        var first = Receive(driver, _host.Vote(3, VoteType.Prevote, 2, 1, null), from: 3);
        var second = Receive(driver, _host.Vote(3, VoteType.Precommit, 2, 1, null), from: 3);
        driver.Handle(new DriverInput.RebroadcastTick());
        var third = Receive(driver, _host.Vote(3, VoteType.Precommit, 2, 1, null), from: 3);

        first.Should().ContainSingle().Which.Should().BeEquivalentTo(new DriverEffect.SendTo(3, new CommitOffer(certificate)));
        second.Should().BeEmpty();
        third.OfType<DriverEffect.SendTo>().Should().ContainSingle();
    }

    [Fact]
    public void Decides_from_a_certificate_offer_of_its_current_height()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        var effects = Receive(driver, new CommitOffer(_host.Certificate(1, 2, A, 1, 2, 3)));

        effects.OfType<DriverEffect.Decide>().Should().ContainSingle(d => d.BlockId == A && d.Round == 2);
    }

    [Fact]
    public void Refuses_a_certificate_offer_without_a_quorum()
    {
        _host.Blocks[A] = true;
        var driver = _host.Driver(0);
        driver.StartHeight(1);

        Receive(driver, new CommitOffer(_host.Certificate(1, 0, A, 1, 2))).OfType<DriverEffect.Decide>().Should().BeEmpty();
        driver.Counters.InvalidCertificate.Should().Be(1);
    }

    [Fact]
    public void Rebroadcast_tick_resends_own_messages_of_the_current_height()
    {
        var driver = _host.Driver(1);
        var started = driver.StartHeight(1);

        var resent = driver.Handle(new DriverInput.RebroadcastTick());

        resent.OfType<DriverEffect.Broadcast>().Should().Equal(started.OfType<DriverEffect.Broadcast>());
    }

    [Fact]
    public void Reports_equivocation_evidence_once()
    {
        var driver = _host.Driver(0);
        driver.StartHeight(1);
        Receive(driver, _host.Vote(2, VoteType.Prevote, 1, 0, A));

        var effects = Receive(driver, _host.Vote(2, VoteType.Prevote, 1, 0, B));

        effects.OfType<DriverEffect.ReportEvidence>().Should().ContainSingle();
        driver.Counters.Equivocation.Should().Be(1);
    }
}
