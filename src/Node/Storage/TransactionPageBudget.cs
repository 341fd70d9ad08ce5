using System.Reflection;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// Caps the 8 KiB pages that LiteDB 5.0.21's open transactions may hold in memory together, which is what
/// bounds its page cache (docs/ARCHITECTURE.md, "Storage", "Memory"). LiteDB has no setting for it: its
/// transaction monitor starts with a private pool of 100,000 pages (800 MB) that a transaction draws on before
/// it spills ("safepoint") its dirty pages into the log. The pool is set here, on the pinned version only, and
/// an unexpected shape of LiteDB fails the open rather than running unbounded. A capped cache recycles pages
/// all the time, which LiteDB 5.0.21 does unsafely under concurrent callers: <see cref="NodeDatabase"/> lets
/// one caller in at a time.
/// </summary>
internal static class TransactionPageBudget
{
    /// <summary>The pool LiteDB 5.0.21 starts with (Constants.MAX_TRANSACTION_SIZE).</summary>
    private const int LiteDbPoolPages = 100_000;

    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    /// <summary>Sets the pool of a database just opened, before any transaction has drawn on it.</summary>
    public static void Apply(LiteDatabase database, int pages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1_000);
        var engine = Read(database, "_engine");
        var monitor = Read(engine, "_monitor");
        var pool = monitor.GetType().GetField("_freePages", Private) ?? throw Unexpected("TransactionMonitor._freePages");
        if (pool.FieldType != typeof(int) || (int)pool.GetValue(monitor)! != LiteDbPoolPages)
        {
            // Another version, or a transaction already holding pages: either way the cap would be wrong.
            throw Unexpected($"a transaction pool of {LiteDbPoolPages} pages");
        }
        pool.SetValue(monitor, pages);
    }

    private static object Read(object owner, string field) =>
        owner.GetType().GetField(field, Private)?.GetValue(owner) ?? throw Unexpected($"{owner.GetType().Name}.{field}");

    private static StorageException Unexpected(string what) =>
        new($"LiteDB {typeof(LiteDatabase).Assembly.GetName().Version} has no {what}: the node caps LiteDB's memory through it " +
            "and is built for LiteDB 5.0.21 (Directory.Packages.props)");
}
