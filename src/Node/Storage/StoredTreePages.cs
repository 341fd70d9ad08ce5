using System.Collections.Concurrent;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The state tree in band pages (<see cref="TreePage"/>), each filed in the <see cref="Buckets"/> of its root's hash.
/// The pages of the upper two bands of the head's root may be held in memory only, until the store writes
/// them (<see cref="BlockStore.TreeWriteInterval"/>); pages in the database are never deleted. So a proof can
/// be built against the head's root and against every root the store wrote, not against the roots between.
/// Every page read from the database is decoded whole, each node checked against its hash.
/// </summary>
public sealed class StoredTreePages : ITreePageReader
{
    /// <summary>Decoded pages kept per generation of the cache (two generations): about 32 MiB each (halved from 64 at no measured cost).</summary>
    public const long CachedBytesPerGeneration = 32L * 1024 * 1024;

    // A decoded node costs its 65 bytes, its hash and a dictionary entry: about 200 bytes with headers.
    private const int DecodedBytesPerNode = 200;

    internal const string RootField = "h";
    internal const string PageField = "b";

    private readonly NodeDatabase _database;
    private readonly ILiteCollection<BsonDocument>[] _shards;
    // Pages are immutable and named by their root's hash, so a cached page can never be stale.
    private readonly ReadCache<Hash32, TreePage> _cache = new(CachedBytesPerGeneration, static page => (long)page.NodeCount * DecodedBytesPerNode);
    // Pages of the head's root that are not in the database yet; query threads read it while the writer changes it.
    private readonly ConcurrentDictionary<Hash32, TreePage> _unwritten = new();

    internal StoredTreePages(NodeDatabase database)
    {
        _database = database;
        _shards = Buckets.Open(database, StorageCollections.TreePagesPrefix);
    }

    public bool KeepsBandPages => true;

    public TreePage? TryGetPage(Hash32 pageRoot)
    {
        if (_unwritten.TryGetValue(pageRoot, out var held) || _cache.TryGet(pageRoot, out held))
        {
            return held;
        }
        var bytes = _database.Read(() => Find(pageRoot))?[PageField].AsBinary;
        if (bytes is null)
        {
            return null;
        }
        var page = _database.Decode($"the state tree page {pageRoot}", () => TreePage.Decode(pageRoot, bytes));
        _cache.TryAdd(pageRoot, page);
        return page;
    }

    /// <summary>
    /// Keeps a committed block's new pages at hand (the next block's update walks the same paths) and drops the
    /// pages they replaced: only a proof against an older root reads those again. Without the drop, the pages a
    /// block rewrites (the 256 at depth 8 every time) filled a generation every block or two, and the lowest
    /// pages, each touched every few dozen blocks, were read and decoded again from the database.
    /// </summary>
    /// <param name="replacedNodes">Nodes of the previous root that are not in the new one; among them the roots of replaced pages.</param>
    internal void Remember(IEnumerable<TreePage> pages, IEnumerable<Hash32> replacedNodes)
    {
        _cache.Remove(replacedNodes);
        foreach (var page in pages)
        {
            _cache.Set(page.Root, page);
        }
    }

    /// <summary>The held pages the head's root still reaches once <paramref name="replacedNodes"/> are gone, in root order.</summary>
    internal List<TreePage> UnwrittenExcept(IReadOnlyList<Hash32> replacedNodes)
    {
        var replaced = replacedNodes.ToHashSet();
        var pages = _unwritten.Values.Where(p => !replaced.Contains(p.Root)).ToList();
        pages.Sort(static (x, y) => x.Root.Span.SequenceCompareTo(y.Root.Span));
        return pages;
    }

    /// <summary>After a block is written without some of its pages: holds those, drops the held pages it replaced.</summary>
    internal void Hold(IEnumerable<TreePage> pages, IEnumerable<Hash32> replacedNodes)
    {
        foreach (var page in pages)
        {
            _unwritten[page.Root] = page;
        }
        foreach (var node in replacedNodes)
        {
            // ContainsKey first: it takes no lock, and only a few hundred of a block's replaced nodes are held pages.
            if (_unwritten.ContainsKey(node))
            {
                _unwritten.TryRemove(node, out _);
            }
        }
    }

    /// <summary>After a block was written with every page its root reaches.</summary>
    internal void MarkAllWritten() => _unwritten.Clear();

    internal bool Contains(Hash32 pageRoot) => _unwritten.ContainsKey(pageRoot) || _database.Read(() => Find(pageRoot)) is not null;

    /// <summary>
    /// Writes pages: new ones (almost every page a block makes) are inserted without a read, and an insert into a bucket
    /// that exists fails whole; otherwise each page's bucket is read and the page put beside the others filed there.
    /// Call it inside a write of the database.
    /// </summary>
    internal void Write(IReadOnlyList<TreePage> pages, bool pagesAreNew)
    {
        if (pagesAreNew)
        {
            var inserts = new List<BsonDocument>[Buckets.Collections];
            for (var shard = 0; shard < Buckets.Collections; shard++)
            {
                inserts[shard] = [];
            }
            foreach (var page in pages)
            {
                var (bucket, shard) = BucketOf(page.Root);
                inserts[shard].Add(Buckets.Bucket(bucket, [Entry(page)]));
            }
            for (var shard = 0; shard < Buckets.Collections; shard++)
            {
                _shards[shard].InsertBulk(inserts[shard]);
            }
            return;
        }
        foreach (var page in pages)
        {
            // Content addressing makes rewriting a page that is there harmless: a key set back to an earlier value
            // rebuilds an earlier subtree.
            var (bucket, shard) = BucketOf(page.Root);
            var entries = Buckets.Entries(_shards[shard].FindById(bucket)).Where(e => !RootOf(e).Equals(page.Root)).Append(Entry(page));
            _shards[shard].Upsert(Buckets.Bucket(bucket, entries));
        }
    }

    // Root hashes are SHA-256: their bytes are already spread evenly.
    internal static (long Bucket, int Shard) BucketOf(Hash32 root) => Buckets.Of(root.Span);

    private static BsonDocument Entry(TreePage page) => new() { [RootField] = page.Root.ToArray(), [PageField] = page.Encode() };

    private static Hash32 RootOf(BsonDocument entry) => new(entry[RootField].AsBinary);

    private BsonDocument? Find(Hash32 pageRoot)
    {
        var (bucket, shard) = BucketOf(pageRoot);
        return Buckets.Entries(_shards[shard].FindById(bucket)).FirstOrDefault(e => RootOf(e).Equals(pageRoot));
    }
}
