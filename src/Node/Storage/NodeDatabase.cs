using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The node's one LiteDB file, <c>&lt;dataDir&gt;/ledger.db</c>, and the only way into it: a write is a
/// transaction on stable storage when <see cref="Write"/> returns, and every read goes through
/// <see cref="Read"/>, one caller inside LiteDB at a time. Settings and the reasons for them are in
/// docs/ARCHITECTURE.md, "Storage".
/// </summary>
public sealed class NodeDatabase : IDisposable
{
    public const string FileName = "ledger.db";
    public const string LockFileName = "ledger.lock";

    /// <summary>LiteDB's write-ahead log beside the data file (LiteDB names it "&lt;name&gt;-log&lt;ext&gt;").</summary>
    public const string LogFileName = "ledger-log.db";

    /// <summary>How large the write-ahead log may grow before the node folds it into the data file.</summary>
    public const long LogBytesBeforeCheckpoint = 64L * 1024 * 1024;

    /// <summary>
    /// Pages of 8 KiB that LiteDB's open transactions may hold in memory together (32 MiB); a block's write that
    /// touches more spills its dirty pages into the log, unconfirmed, and goes on. LiteDB's page cache never
    /// shrinks and grows to the most pages ever held at once, so this bounds it (docs/ARCHITECTURE.md, "Storage").
    /// Safe only because all LiteDB calls are serialised (<see cref="Read"/>, <see cref="Write"/>).
    /// </summary>
    public const int TransactionPagesMax = 4_096;

    private readonly FileStream _lock;
    private readonly LiteDatabase _db;
    private readonly string _folder;
    private readonly string _logPath;
    // Every call into LiteDB, read or write, runs under this lock: LiteDB 5.0.21's cache can hand a page it
    // recycles to one thread while another is still reading it (LiteDB issue 2817), and with its transactions
    // capped (TransactionPagesMax) it recycles every ~1,000 pages. One caller at a time closes the race.
    private readonly Lock _engine = new();
    // The log file is created by the first write after opening; its folder entry is synced once then.
    private bool _logEntrySynced;

    private readonly long _logBytesBeforeCheckpoint;

    public NodeDatabase(string dataDir, long logBytesBeforeCheckpoint = LogBytesBeforeCheckpoint, int transactionPagesMax = TransactionPagesMax)
    {
        _logBytesBeforeCheckpoint = logBytesBeforeCheckpoint;
        FileSync.EnsureSupported();
        _folder = System.IO.Path.GetFullPath(dataDir);
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, FileName);
        _logPath = System.IO.Path.Combine(_folder, LogFileName);
        try
        {
            // LiteDB's direct mode does not stop a second process (on Linux .NET takes shared flocks for
            // FileShare.Read), and two writers would interleave log pages: an exclusive lock file does.
            _lock = new FileStream(System.IO.Path.Combine(_folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StorageException($"the database in {_folder} is in use by another process", e);
        }
        try
        {
            RefuseIfDamaged();
            var isNew = !File.Exists(Path);
            _db = new LiteDatabase(new ConnectionString
            {
                Filename = Path,
                // One process, engine kept open: shared mode reopens the file around every operation.
                Connection = ConnectionType.Direct,
                // Fail loudly on a damaged file: a rebuild may silently drop committed blocks.
                AutoRebuild = false,
                Upgrade = false,
                // Strings compare by code point: state keys differing only in case are different keys.
                Collation = Collation.Binary,
            });
            _db.UtcDate = true;
            // LiteDB copies its log into the data file (and fsyncs that) every 1,000 pages by default: several
            // times a block under load. The node checkpoints itself, between writes, once the log is large.
            _db.Pragma("CHECKPOINT", 0);
            TransactionPageBudget.Apply(_db, transactionPagesMax);
            if (isNew)
            {
                // LiteDB fsyncs the new file's first page but not the folder entry that names it.
                FileSync.Folder(_folder);
            }
        }
        catch (LiteException e)
        {
            // LiteDB refused the files themselves (a broken header, a page it cannot read).
            _db?.Dispose();
            _lock.Dispose();
            throw MarkDamaged($"LiteDB cannot open it: {e.Message}", e);
        }
        catch
        {
            // A database opened but refused (its settings could not be applied) must not keep the files open.
            _db?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Set once damage is found in this database; a node stops serving and exits (exit code 5) when it is.</summary>
    public CancellationToken DamageFound => _damage.Token;

    /// <summary>The damage found, if any.</summary>
    public StorageDamagedException? Damage { get; private set; }

    private readonly CancellationTokenSource _damage = new();

    /// <summary>
    /// Before LiteDB sees the files: a folder once found damaged stays refused, and a log whose pages are not well formed
    /// is never opened, since LiteDB would take its garbage pages for committed ones (<see cref="LogPageCheck"/>).
    /// </summary>
    private void RefuseIfDamaged()
    {
        if (DamageMarker.Read(_folder) is { } recorded)
        {
            throw new StorageDamagedException(_folder, $"found damaged before, {DamageMarker.FileName} says: {recorded}");
        }
        var log = new FileInfo(_logPath);
        if (log.Exists && log.Length >= LogPageCheck.PageBytes
            && LogPageCheck.FindDamage(_logPath, File.Exists(Path) ? new FileInfo(Path).Length : 0) is { } damage)
        {
            throw MarkDamaged($"{LogFileName}: {damage}");
        }
    }

    /// <summary>Records damage found in this database (the marker, the token) and returns the exception to throw.</summary>
    internal StorageDamagedException MarkDamaged(string reason, Exception? inner = null)
    {
        var damaged = new StorageDamagedException(_folder, reason, inner);
        if (Damage is null)
        {
            Damage = damaged;
            DamageMarker.Write(_folder, reason);
            _damage.Cancel();
        }
        return damaged;
    }

    /// <summary>
    /// Decodes bytes this database returned: what fails to decode was damaged on disk (a document's bytes are not checked
    /// at open), so the failure is damage, never a bug to report.
    /// </summary>
    internal T Decode<T>(string what, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException or InvalidCastException or ArgumentException)
        {
            throw MarkDamaged($"{what} cannot be decoded: {e.Message}", e);
        }
    }

    /// <summary>LiteDB failing on its own structures (a page, an index, a document) is damage to the files.</summary>
    private static bool IsDamage(Exception e) => e is LiteException or InvalidCastException or Google.Protobuf.InvalidProtocolBufferException;

    /// <summary>The data file's full path.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="body"/> in one LiteDB transaction and returns once it is durable.</summary>
    /// <remarks>
    /// One writer at a time, on the calling thread (LiteDB binds a transaction to its thread): call it
    /// from a thread that may block. Readers on other threads see the whole transaction or none of it.
    /// </remarks>
    public void Write(Action<LiteDatabase> body)
    {
        lock (_engine)
        {
            // Refused until the node reopens its storage: LiteDB's state after a write the disk refused is not trusted.
            if (DiskFull is { } full)
            {
                throw full;
            }
            try
            {
                WriteLocked(body);
            }
            catch (Exception e) when (IsDiskFull(e))
            {
                RollbackQuietly();
                throw MarkDiskFull(e);
            }
        }
    }

    private void WriteLocked(Action<LiteDatabase> body)
    {
        if (!_db.BeginTrans())
        {
            throw new InvalidOperationException("a storage transaction is already open on this thread");
        }
        try
        {
            body(_db);
        }
        catch (Exception e) when (IsDamage(e) && e is not LiteException { ErrorCode: LiteException.INDEX_DUPLICATE_KEY })
        {
            // A duplicate key is the store's own control flow (an insert that finds its bucket taken): its caller handles it.
            RollbackQuietly();
            throw MarkDamaged($"a write failed: {e.Message}", e);
        }
        catch
        {
            // Quietly: a rollback that fails too (after a write the disk refused) must not hide why the write failed.
            RollbackQuietly();
            throw;
        }
        try
        {
            _db.Commit();
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw MarkDamaged($"a commit failed: {e.Message}", e);
        }
        // Commit wrote the pages into the log with plain writes: in the kernel (safe from a killed
        // process) but not on the disk. Sync the log, and the folder once so the log's name is there too.
        FileSync.File(_logPath);
        if (!_logEntrySynced)
        {
            FileSync.Folder(_folder);
            _logEntrySynced = true;
        }
        if (new FileInfo(_logPath).Length > _logBytesBeforeCheckpoint)
        {
            // Copies committed pages into the data file, syncs it, then truncates the log.
            try
            {
                _db.Checkpoint();
            }
            catch (Exception e) when (IsDamage(e) || e is ArgumentException)
            {
                // A page that points past any file LiteDB can write (ArgumentOutOfRange from the file system) is damage too.
                throw MarkDamaged($"a checkpoint failed: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Folds the log into the data file if it holds more than <paramref name="logBytesMax"/>: asked when the node goes idle,
    /// so that a quiet node's disk holds its data and not up to <see cref="LogBytesBeforeCheckpoint"/> of pages rewritten
    /// block after block (an empty block rewrites ~20 pages, 160 KiB, of which ~2 KiB are new data).
    /// </summary>
    public void CheckpointIfLogOver(long logBytesMax)
    {
        lock (_engine)
        {
            if (Damage is not null || DiskFull is not null || !File.Exists(_logPath) || new FileInfo(_logPath).Length <= logBytesMax)
            {
                return;
            }
            try
            {
                _db.Checkpoint();
            }
            catch (Exception e) when (IsDiskFull(e))
            {
                throw MarkDiskFull(e);
            }
            catch (Exception e) when (IsDamage(e) || e is ArgumentException)
            {
                throw MarkDamaged($"a checkpoint failed: {e.Message}", e);
            }
        }
    }

    /// <summary>Runs <paramref name="read"/>, which may call LiteDB, while no other thread is inside LiteDB.</summary>
    /// <remarks>It waits for a write in progress (a block's, hundreds of milliseconds): keep reads eager and short.</remarks>
    internal T Read<T>(Func<T> read)
    {
        lock (_engine)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (IsDamage(e))
            {
                throw MarkDamaged($"a read failed: {e.Message}", e);
            }
        }
    }

    private void RollbackQuietly()
    {
        try
        {
            _db.Rollback();
        }
        catch (Exception e) when (e is LiteException or IOException or InvalidOperationException or System.Threading.LockRecursionException)
        {
            // The store is refused from here on anyway.
        }
    }

    /// <summary>Set once a write found the disk full; the node stops consensus and reopens its storage once space returns.</summary>
    public CancellationToken DiskFullFound => _diskFull.Token;

    public DiskFullException? DiskFull { get; private set; }

    private readonly CancellationTokenSource _diskFull = new();

    /// <summary>ENOSPC (28) or EDQUOT (122), from a write of LiteDB's or from fsync (<see cref="FileSync"/>).</summary>
    private static bool IsDiskFull(Exception e) => e switch
    {
        IOException io => io.HResult is 28 or 122 || io.Message.Contains("No space left", StringComparison.Ordinal),
        StorageException s => s.Message.EndsWith("errno 28", StringComparison.Ordinal) || s.Message.EndsWith("errno 122", StringComparison.Ordinal),
        _ => e.InnerException is { } inner && IsDiskFull(inner),
    };

    private DiskFullException MarkDiskFull(Exception e)
    {
        if (DiskFull is null)
        {
            DiskFull = new DiskFullException(_folder, e);
            _diskFull.Cancel();
        }
        return DiskFull;
    }

    /// <summary>Bytes free on the file system of the data folder (statvfs, for the user the node runs as).</summary>
    public long FreeBytes => new DriveInfo(_folder).AvailableFreeSpace;

    /// <summary>A collection of raw BSON documents: no mapper, no reflection. Use it inside <see cref="Read"/> or <see cref="Write"/>.</summary>
    internal ILiteCollection<BsonDocument> Collection(string name) => _db.GetCollection(name);

    public void Dispose()
    {
        lock (_engine)
        {
            // LiteDB folds its log into the data file on close only while its own CHECKPOINT pragma is on, and the
            // node turns it off (above): without this a clean stop left every committed page in the log, up to 64 MiB.
            // A checkpoint that fails (a full disk) leaves the log as it was, and the next open replays it.
            try
            {
                // Never fold a damaged log into the data file: the files stay as they were found, for a person to move aside.
                if (Damage is null && DiskFull is null)
                {
                    _db.Checkpoint();
                }
            }
            catch (Exception e) when (e is IOException or LiteException or ArgumentException)
            {
                CheckpointFailedOnClose = e.Message;
            }
            try
            {
                _db.Dispose();
            }
            catch (Exception e) when ((Damage is not null || DiskFull is not null) && e is not OutOfMemoryException)
            {
                // After a refused write LiteDB may still hold that transaction's locks: what it leaves is the log, which the next open replays.
                CheckpointFailedOnClose ??= e.Message;
            }
        }
        _lock.Dispose();
        _damage.Dispose();
        _diskFull.Dispose();
    }

    /// <summary>Why the checkpoint on close failed, if it did (the log was left for the next open to replay).</summary>
    public string? CheckpointFailedOnClose { get; private set; }
}
