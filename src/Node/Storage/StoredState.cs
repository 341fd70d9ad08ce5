using Ledger.Contracts.State;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The state after the last committed block. A block being executed or voted on lives in an overlay
/// above this; readers on other threads never see a block half-written (LiteDB reads committed pages).
/// </summary>
public sealed class StoredState : IStateReader
{
    /// <summary>Bytes of values a cache generation holds: two generations within 32 MiB (halving it cost no measurable CPU at 200k certificates).</summary>
    public const long CachedBytesPerGeneration = 16L * 1024 * 1024;

    // A dictionary entry, its key string and the array header, roughly: absent keys cost this much too.
    private const long EntryOverheadBytes = 128;
    private readonly NodeDatabase _database;
    private readonly ILiteCollection<BsonDocument> _values;
    // Absent keys are cached too (as null): most reads of a new certificate's key find nothing. Kept
    // coherent by the single writer, which applies each committed block's changes here after the commit.
    private readonly ReadCache<string, byte[]?> _cache = new(CachedBytesPerGeneration, static value => EntryOverheadBytes + (value?.Length ?? 0));

    /// <summary>
    /// Documents read per query while the filter is filled at startup: each query is one short call into LiteDB
    /// (which admits one caller at a time), so a block's write never waits long behind the scan.
    /// </summary>
    internal const int DocumentsPerScanQuery = 2_000;

    internal StoredState(NodeDatabase database)
    {
        _database = database;
        _values = database.Collection(StorageCollections.State);
        // Filled in the background: a ledger of a million certificates holds millions of keys. Until it is
        // complete every read of a missing key goes to LiteDB, as it would without the filter.
        KeyFilterFilled = Task.Run(FillKeyFilter);
    }

    /// <summary>Completes when the key filter answers "absent" (true), or gave up because the database closed (false).</summary>
    internal Task<bool> KeyFilterFilled { get; }

    internal StateKeyFilter Keys { get; } = new();

    // Odd while a block is being written: a value read from the database then may be older than what the
    // writer is about to put in the cache, so it is not cached.
    private long _commitVersion;

    public byte[]? Get(string key)
    {
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }
        if (!Keys.MayContain(key))
        {
            return null;
        }
        var version = Volatile.Read(ref _commitVersion);
        var (documentId, field) = StateDocuments.Locate(key);
        // FindById: an index seek on _id with no expression to parse (FACTS.md: Query.EQ per call is 50x slower).
        var document = _database.Read(() => _values.FindById(documentId));
        var value = document is null || !document.TryGetValue(field, out var stored) ? null
            : stored.AsBinary ?? throw new StorageException($"state key {key} is stored without value bytes");
        if (version % 2 == 0 && Volatile.Read(ref _commitVersion) == version)
        {
            _cache.TryAdd(key, value);
        }
        return value;
    }

    /// <summary>
    /// Whether the cache holds <paramref name="key"/> as absent from the committed state: the block's execution
    /// read it just before, so a new key's document can be inserted rather than upserted. The cache is kept by
    /// the single writer, so this is exact; the caller still falls back to upserts on a duplicate key.
    /// </summary>
    internal bool IsKnownAbsent(string key) => (_cache.TryGet(key, out var cached) && cached is null) || !Keys.MayContain(key);

    internal void BeginCommit() => Interlocked.Increment(ref _commitVersion);

    internal void EndCommit() => Interlocked.Increment(ref _commitVersion);

    /// <summary>Brings the cache and the key filter up to a block just written, before the head moves to it.</summary>
    internal void Remember(IReadOnlyList<KeyValuePair<string, byte[]?>> changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value is not null)
            {
                Keys.Add(key);
            }
            _cache.Set(key, value);
        }
    }

    private bool FillKeyFilter()
    {
        try
        {
            string? last = null;
            while (true)
            {
                var query = _values.Query();
                if (last is not null)
                {
                    query = query.Where(BsonExpression.Create("_id > @0", new BsonValue(last)));
                }
                // Selecting only the indexed _id lets LiteDB answer from the index without loading values.
                var keys = _database.Read(() => query.Select(BsonExpression.Create("$._id")).Limit(DocumentsPerScanQuery).ToArray());
                foreach (var document in keys)
                {
                    var documentId = document["_id"].AsString;
                    if (last is not null && string.CompareOrdinal(documentId, last) <= 0)
                    {
                        // Not in index order: resuming after the last key could skip some. Stay incomplete.
                        return false;
                    }
                    // Every key the document may hold: a filter may answer "maybe" for a key that is absent, never "absent" for one that is there.
                    foreach (var key in StateDocuments.KeysOf(documentId))
                    {
                        Keys.Add(key);
                    }
                    last = documentId;
                }
                if (keys.Length < DocumentsPerScanQuery)
                {
                    Keys.MarkComplete();
                    return true;
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or LiteException or InvalidOperationException)
        {
            // The database closed under the scan (a short-lived store, or the node stopping): reads just keep going to LiteDB.
            return false;
        }
    }
}
