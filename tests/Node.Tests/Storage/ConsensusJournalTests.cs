using Ledger.Node.Storage;

namespace Ledger.Node.Tests.Storage;

public sealed class ConsensusJournalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_fresh_journal_has_no_record()
    {
        using var database = new NodeDatabase(_folder.Path);

        new ConsensusJournal(database).Load().Should().BeNull();
    }

    [Fact]
    public void The_latest_record_of_the_highest_height_survives_reopening()
    {
        using (var database = new NodeDatabase(_folder.Path))
        {
            var journal = new ConsensusJournal(database);
            journal.Save(7, [7, 0]);
            journal.Save(8, [8, 0]);
            journal.Save(8, [8, 1]);
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var record = new ConsensusJournal(reopened).Load();

        record!.Height.Should().Be(8);
        record.Bytes.Should().Equal(8, 1);
    }

    [Fact]
    public void Only_the_last_heights_are_kept()
    {
        using var database = new NodeDatabase(_folder.Path);
        var journal = new ConsensusJournal(database);
        for (ulong height = 1; height <= 10; height++)
        {
            journal.Save(height, [(byte)height]);
        }

        database.Collection("journal").Count().Should().Be(ConsensusJournal.HeightsKept);
        journal.Load()!.Height.Should().Be(10);
    }

    [Fact]
    public void An_oversized_record_is_refused()
    {
        using var database = new NodeDatabase(_folder.Path);

        var save = () => new ConsensusJournal(database).Save(1, new byte[ConsensusJournal.RecordBytesMax + 1]);

        save.Should().Throw<ArgumentException>();
    }
}
