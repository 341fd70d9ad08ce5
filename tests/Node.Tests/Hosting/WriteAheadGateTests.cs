using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Node.Hosting;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Ledger.Node.Tests.Storage;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Tests.Hosting;

public sealed class WriteAheadGateTests : IDisposable
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private readonly TempFolder _folder = new();
    private readonly RecordingLogger _log = new();

    public void Dispose() => _folder.Dispose();

    private static WriteAheadRecord Record(ulong height, int round, int polkaVotes)
    {
        var polka = Enumerable.Range(0, polkaVotes).Select(i => new SignedVote(VoteType.Prevote, height, round, A, i, new byte[64])).ToArray();
        return new WriteAheadRecord(height, round, RoundStep.Precommit, A, round, A, round, polka, [], null);
    }

    [Fact]
    public void A_record_too_large_for_the_journal_is_not_stored_nor_thrown_and_holds_messages_back()
    {
        using var database = new NodeDatabase(_folder.Path);
        var journal = new ConsensusJournal(database);
        var gate = new WriteAheadGate(journal, validatorCount: 4, ownMessagesMax: 24, self: 0, _log);
        gate.Persist(Record(5, 0, polkaVotes: 3));
        // More prevotes than any validator set the gate accepts can produce: only a bug gets here.
        var oversized = Record(5, 1, polkaVotes: 1000);
        WriteAheadCodec.Encode(oversized, 0).Length.Should().BeGreaterThan(ConsensusJournal.RecordBytesMax);

        var persist = () => gate.Persist(oversized);

        persist.Should().NotThrow();
        gate.MaySend.Should().BeFalse("a vote whose record is not durable could be contradicted after a restart");
        WriteAheadCodec.Decode(journal.Load()!.Bytes).Round.Should().Be(0, "the last durable record stays");
        _log.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error)
            .Which.Message.Should().Contain("height 5 round 1").And.Contain(ConsensusJournal.RecordBytesMax.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Messages_may_leave_again_once_a_record_is_durable()
    {
        using var database = new NodeDatabase(_folder.Path);
        var journal = new ConsensusJournal(database);
        var gate = new WriteAheadGate(journal, validatorCount: 4, ownMessagesMax: 24, self: 0, _log);
        gate.Persist(Record(5, 1, polkaVotes: 1000));

        gate.Persist(Record(5, 2, polkaVotes: 3));

        gate.MaySend.Should().BeTrue();
        WriteAheadCodec.Decode(journal.Load()!.Bytes).Round.Should().Be(2);
    }

    [Fact]
    public void A_validator_set_whose_records_may_not_fit_the_journal_is_refused_at_start()
    {
        using var database = new NodeDatabase(_folder.Path);

        var start = () => new WriteAheadGate(new ConsensusJournal(database), validatorCount: 1000, ownMessagesMax: 24, self: 0, _log);

        start.Should().Throw<InvalidOperationException>().WithMessage("*set of 1000*");
    }
}
