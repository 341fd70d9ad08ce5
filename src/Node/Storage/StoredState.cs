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
    private readonly ILiteCollection<BsonDocument>[] _shards;
    // Absent keys are cached too (as null): most reads of a new certificate's key find nothing. Kept
    // coherent by the single writer, which applies each committed block's changes here after the commit.
    private readonly ReadCache<string, byte[]?> _cache = new(CachedBytesPerGeneration, static value => EntryOverheadBytes + (value?.Length ?? 0));

    /// <summary>
    /// Buckets read per query while the filter is filled at startup: each query is one short call into LiteDB
    /// (which admits one caller at a time), so a block's write never waits long behind the scan.
    /// </summary>
    internal const int BucketsPerScanQuery = 2_000;

    internal StoredState(NodeDatabase database)
    {
        _database = database;
        _shards = Buckets.Open(database, StorageCollections.StatePrefix);
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
        var (document, field) = StateDocuments.Locate(key);
        if (!Keys.MayContain(document.Bucket))
        {
            return null;
        }
        var version = Volatile.Read(ref _commitVersion);
        var entry = _database.Read(() => Find(document));
        var value = entry is null || !entry.TryGetValue(field, out var stored) ? null
            : stored.AsBinary ?? throw new StorageException($"state key {key} is stored without value bytes");
        if (version % 2 == 0 && Volatile.Read(ref _commitVersion) == version)
        {
            _cache.TryAdd(key, value);
        }
        return value;
    }

    /// <summary>The stored fields of <paramref name="document"/>, or null. Call it inside a read or a write of the database.</summary>
    internal BsonDocument? Find(StateDocument document) => Buckets.Entries(Bucket(document))
        .FirstOrDefault(entry => entry[StateDocuments.IdField].AsString == document.Id);

    /// <summary>The bucket <paramref name="document"/> is filed under, or null. Call it inside a read or a write of the database.</summary>
    // FindById: an index seek on _id with no expression to parse (FACTS.md: Query.EQ per call is 50x slower).
    internal BsonDocument? Bucket(StateDocument document) => _shards[document.Shard].FindById(document.Bucket);

    internal ILiteCollection<BsonDocument> Shard(int shard) => _shards[shard];

    /// <summary>
    /// Whether no key of <paramref name="document"/> is in the committed state: the key filter has never seen its
    /// bucket, or the cache holds each key as absent (the block's execution read it just before). Then the bucket
    /// can be inserted without a read. The cache is kept by the single writer, so this is exact for the document;
    /// another document filed in the same bucket makes the insert fail, and the caller writes again with reads.
    /// </summary>
    internal bool IsKnownAbsent(StateDocument document) =>
        !Keys.MayContain(document.Bucket) || StateDocuments.KeysOf(document.Id).All(key => _cache.TryGet(key, out var cached) && cached is null);

    internal void BeginCommit() => Interlocked.Increment(ref _commitVersion);

    internal void EndCommit() => Interlocked.Increment(ref _commitVersion);

    /// <summary>Brings the cache and the key filter up to a block just written, before the head moves to it.</summary>
    /// <param name="located">Where each change's key lives, in the order of <paramref name="changes"/>.</param>
    internal void Remember(IReadOnlyList<KeyValuePair<string, byte[]?>> changes, IReadOnlyList<(StateDocument Document, string Field)> located)
    {
        for (var i = 0; i < changes.Count; i++)
        {
            var (key, value) = changes[i];
            if (value is not null)
            {
                Keys.Add(located[i].Document.Bucket);
            }
            _cache.Set(key, value);
        }
    }

    private bool FillKeyFilter()
    {
        try
        {
            foreach (var shard in _shards)
            {
                long? last = null;
                while (true)
                {
                    var query = shard.Query();
                    if (last is not null)
                    {
                        query = query.Where(BsonExpression.Create("_id > @0", new BsonValue(last.Value)));
                    }
                    // Selecting only the indexed _id lets LiteDB answer from the index without loading values.
                    var buckets = _database.Read(() => query.Select(BsonExpression.Create("$._id")).Limit(BucketsPerScanQuery).ToArray());
                    foreach (var document in buckets)
                    {
                        var bucket = document["_id"].AsInt64;
                        if (last is not null && bucket <= last.Value)
                        {
                            // Not in index order: resuming after the last bucket could skip some. Stay incomplete.
                            return false;
                        }
                        Keys.Add(bucket);
                        last = bucket;
                    }
                    if (buckets.Length < BucketsPerScanQuery)
                    {
                        break;
                    }
                }
            }
            Keys.MarkComplete();
            return true;
        }
        catch (Exception e) when (e is ObjectDisposedException or LiteException or InvalidOperationException)
        {
            // The database closed under the scan (a short-lived store, or the node stopping): reads just keep going to LiteDB.
            return false;
        }
    }
}
