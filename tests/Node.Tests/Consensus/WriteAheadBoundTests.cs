using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class WriteAheadBoundTests
{
    private static readonly int OwnMessagesMax = new ConsensusConfig(DriverTestHost.Chain, TimeoutConfig.Default).RetransmitMessagesMax;
    private readonly DriverTestHost _host = new();

    private static Hash32 Value(string name, int round) => Hash32.Sha256(System.Text.Encoding.UTF8.GetBytes($"{name}/{round}"));

    [Fact]
    public void Ten_validators_need_a_few_KiB_far_below_the_journal_limit()
    {
        var bytesMax = WriteAheadCodec.EncodedBytesMax(10, OwnMessagesMax);

        bytesMax.Should().BeLessThan(8 * 1024).And.BeLessThan(ConsensusJournal.RecordBytesMax / 8);
    }

    [Fact]
    public void The_bound_grows_with_the_validators_only_so_the_journal_limit_is_a_limit_on_the_set()
    {
        var perValidator = WriteAheadCodec.EncodedBytesMax(11, OwnMessagesMax) - WriteAheadCodec.EncodedBytesMax(10, OwnMessagesMax);

        perValidator.Should().BeInRange(1, 160, "one prevote of the polka per validator");
        WriteAheadCodec.EncodedBytesMax(1000, OwnMessagesMax).Should().BeGreaterThan(ConsensusJournal.RecordBytesMax);
    }

    [Fact]
    public void Records_stay_within_the_bound_through_many_rounds_with_an_equivocating_validator()
    {
        var driver = _host.Driver(0);
        var records = new List<WriteAheadRecord>();
        void Run(IEnumerable<DriverEffect> effects) => records.AddRange(effects.OfType<DriverEffect.PersistWriteAhead>().Select(p => p.Record));
        Run(driver.StartHeight(1));
        for (var round = 0; round < 60; round++)
        {
            var proposer = _host.Validators.ProposerOf(1, round);
            var value = Value("fresh", round);
            _host.Blocks[value] = true;
            if (proposer == 0)
            {
                value = driver.State.ValidValue ?? _host.NextValue;
            }
            else
            {
                Run(driver.Handle(new DriverInput.MessageReceived(_host.Proposal(proposer, 1, round, value), proposer)));
            }
            // Validator 3 is Byzantine: it prevotes and precommits two values each round.
            var other = Value("other", round);
            foreach (var (validator, prevote, precommit) in new (int, Hash32?, Hash32?)[] { (1, value, null), (2, value, null), (3, value, value), (3, other, other) })
            {
                Run(driver.Handle(new DriverInput.MessageReceived(_host.Vote(validator, VoteType.Prevote, 1, round, prevote), validator)));
                Run(driver.Handle(new DriverInput.MessageReceived(_host.Vote(validator, VoteType.Precommit, 1, round, precommit), validator)));
            }
            Run(driver.Handle(new DriverInput.TimeoutElapsed(1, round, RoundStep.Precommit)));
        }

        driver.State.Round.Should().Be(60, "every round ended without a decision");
        records.Should().Contain(r => r.SignedThisHeight.Count == OwnMessagesMax && r.ValidPolka.Count >= 3, "the run fills the own messages and holds a polka");
        records.Should().OnlyContain(r => r.SignedThisHeight.Count <= OwnMessagesMax && r.ValidPolka.Count <= _host.Validators.Count);
        records.Max(r => WriteAheadCodec.Encode(r, 0).Length).Should().BeLessThanOrEqualTo(WriteAheadCodec.EncodedBytesMax(_host.Validators.Count, OwnMessagesMax));
    }
}
