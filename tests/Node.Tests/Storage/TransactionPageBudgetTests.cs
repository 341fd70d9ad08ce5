using Ledger.Node.Storage;
using LiteDB;

namespace Ledger.Node.Tests.Storage;

/// <summary>
/// A write that touches more pages than LiteDB may hold spills its dirty pages into the log, unconfirmed
/// (docs/ARCHITECTURE.md, "Storage"). It must still commit whole, keep readers out until then, and leave
/// nothing behind when it is rolled back or the process dies in the middle of it.
/// </summary>
public sealed class TransactionPageBudgetTests : IDisposable
{
    private const int BudgetPages = 1_000;
    // 4 KiB values: 10,000 of them fill ~5,000 pages, five times the budget and more than the cache's slack.
    private const int DocumentsPerWrite = 10_000;
    private const int ValueBytes = 4_096;
    // LiteDB grows its cache by segments (12, 50, 100, 500, then 1,000 pages) and only when fewer than a
    // segment's worth of its pages are free to reuse: the budget plus the small segments and two large ones.
    private const int CacheSlackPages = 12 + 50 + 100 + 500 + 2 * 1_000;
    private const string Values = "values";

    private readonly TempFolder _folder = new();
    private readonly TempFolder _copy = new();

    public void Dispose()
    {
        _folder.Dispose();
        _copy.Dispose();
    }

    [Fact]
    public void The_node_opens_LiteDB_with_its_page_budget()
    {
        using var database = new NodeDatabase(_folder.Path);

        var transactions = Info(database)["transactions"];

        // The query that reads it is a transaction too, holding its initial share.
        (transactions["availableSize"].AsInt32 + transactions["initialTransactionSize"].AsInt32).Should().Be(NodeDatabase.TransactionPagesMax);
    }

    [Fact]
    public void A_write_larger_than_the_budget_commits_whole_and_LiteDB_cache_stays_within_it()
    {
        using (var database = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages))
        {
            database.Write(_ =>
            {
                Insert(database, "a");
                LogBytes().Should().BeGreaterThan(0, "a write over the budget spills pages into the log before it commits");
            });
            database.Write(_ => Insert(database, "b"));

            CachePages(database).Should().BeLessThanOrEqualTo(BudgetPages + CacheSlackPages);
            HoldsAll(database, "a");
            HoldsAll(database, "b");
        }

        using var reopened = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages);
        HoldsAll(reopened, "a");
        HoldsAll(reopened, "b");
    }

    [Fact]
    public void Without_the_budget_the_same_write_keeps_every_page_it_touched_in_LiteDB_cache()
    {
        // The contrast that makes the test above mean something: LiteDB's own pool is 100,000 pages.
        using var database = new NodeDatabase(_folder.Path, transactionPagesMax: 100_000);

        database.Write(_ => Insert(database, "a"));

        CachePages(database).Should().BeGreaterThan(BudgetPages + CacheSlackPages);
    }

    [Fact]
    public void A_read_on_another_thread_waits_for_a_spilled_write_and_then_sees_all_of_it()
    {
        using var database = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages);
        database.Write(_ => Insert(database, "before"));
        long seen = -1;
        var reader = new Thread(() => seen = database.Read(() => database.Collection(Values).Count()));

        database.Write(_ =>
        {
            Insert(database, "during");
            LogBytes().Should().BeGreaterThan(0);
            reader.Start();
            // LiteDB recycles cache pages while this write runs: no other thread may be inside it meanwhile.
            SpinWait.SpinUntil(() => reader.ThreadState.HasFlag(ThreadState.WaitSleepJoin), TimeSpan.FromSeconds(30))
                .Should().BeTrue("the reader blocks on the database while the write is open");
            Volatile.Read(ref seen).Should().Be(-1);
        });
        reader.Join();

        seen.Should().Be(2 * DocumentsPerWrite, "the read ran after the write committed, and saw all of it");
    }

    [Fact]
    public void A_spilled_write_that_is_rolled_back_leaves_nothing_and_the_next_write_commits()
    {
        using (var database = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages))
        {
            database.Write(_ => Insert(database, "kept"));

            var failing = () => database.Write(_ =>
            {
                Insert(database, "dropped");
                throw new InvalidOperationException("the block was refused after its pages spilled");
            });

            failing.Should().Throw<InvalidOperationException>();
            (database.Collection(Values).FindById(Key("dropped", 0)) is null).Should().BeTrue("the write was rolled back");
            database.Write(_ => Insert(database, "after"));
        }

        using var reopened = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages);
        HoldsAll(reopened, "kept");
        HoldsAll(reopened, "after");
        reopened.Collection(Values).Count().Should().Be(2 * DocumentsPerWrite);
    }

    [Fact]
    public void The_files_as_a_kill_in_the_middle_of_a_spilled_write_leaves_them_reopen_without_it()
    {
        using (var database = new NodeDatabase(_folder.Path, transactionPagesMax: BudgetPages))
        {
            database.Write(_ => Insert(database, "committed"));
            database.Write(_ =>
            {
                Insert(database, "in flight");
                LogBytes().Should().BeGreaterThan(0);
                // What a SIGKILL now would leave: the data file and a log ending in unconfirmed pages (LiteDB
                // writes pages with plain writes, so another handle reads what the kernel holds).
                foreach (var file in new[] { NodeDatabase.FileName, "ledger-log.db" })
                {
                    File.Copy(Path.Combine(_folder.Path, file), Path.Combine(_copy.Path, file));
                }
            });
        }

        using var restarted = new NodeDatabase(_copy.Path, transactionPagesMax: BudgetPages);
        HoldsAll(restarted, "committed");
        restarted.Collection(Values).Count().Should().Be(DocumentsPerWrite);
        restarted.Write(_ => Insert(restarted, "after"));
        HoldsAll(restarted, "after");
    }

    private static void Insert(NodeDatabase database, string batch) =>
        database.Collection(Values).InsertBulk(Enumerable.Range(0, DocumentsPerWrite)
            .Select(i => new BsonDocument { ["_id"] = Key(batch, i), ["v"] = Value(batch, i) }));

    private static void HoldsAll(NodeDatabase database, string batch)
    {
        var values = database.Collection(Values);
        for (var i = 0; i < DocumentsPerWrite; i++)
        {
            var document = values.FindById(Key(batch, i));
            (document is not null).Should().BeTrue($"{Key(batch, i)} was committed");
            document!["v"].AsBinary.Should().Equal(Value(batch, i));
        }
    }

    // Hashed, so that the inserts land all over the index as state keys do.
    private static string Key(string batch, int i) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{batch}/{i}")));

    private static byte[] Value(string batch, int i)
    {
        var value = new byte[ValueBytes];
        new Random((i * 256) + batch[0]).NextBytes(value);
        return value;
    }

    private long LogBytes()
    {
        var log = new FileInfo(Path.Combine(_folder.Path, "ledger-log.db"));
        return log.Exists ? log.Length : 0;
    }

    private static BsonDocument Info(NodeDatabase database) => database.Collection("$database").FindAll().Single();

    private static int CachePages(NodeDatabase database) => Info(database)["cache"]["extendPages"].AsInt32;
}
