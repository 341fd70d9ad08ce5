using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The state tree in band pages (<see cref="TreePage"/>), one document per page named by its root's hash.
/// Pages of older roots are never deleted, so a proof against any committed header can still be built.
/// Every page read from the database is decoded whole, each node checked against its hash.
/// </summary>
public sealed class StoredTreePages : ITreePageReader
{
    /// <summary>Decoded pages kept per generation of the cache (two generations): about 32 MiB each (halved from 64 at no measured cost).</summary>
    public const long CachedBytesPerGeneration = 32L * 1024 * 1024;

    // A decoded node costs its 65 bytes, its hash and a dictionary entry: about 200 bytes with headers.
    private const int DecodedBytesPerNode = 200;

    private readonly NodeDatabase _database;
    private readonly ILiteCollection<BsonDocument> _pages;
    // Pages are immutable and named by their root's hash, so a cached page can never be stale.
    private readonly ReadCache<Hash32, TreePage> _cache = new(CachedBytesPerGeneration, static page => (long)page.NodeCount * DecodedBytesPerNode);

    internal StoredTreePages(NodeDatabase database)
    {
        _database = database;
        _pages = database.Collection(StorageCollections.TreePages);
    }

    public bool KeepsBandPages => true;

    public TreePage? TryGetPage(Hash32 pageRoot)
    {
        if (_cache.TryGet(pageRoot, out var cached))
        {
            return cached;
        }
        var bytes = _database.Read(() => _pages.FindById(pageRoot.ToArray()))?["b"].AsBinary;
        if (bytes is null)
        {
            return null;
        }
        var page = TreePage.Decode(pageRoot, bytes);
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

    internal bool Contains(Hash32 pageRoot) => _database.Read(() => _pages.FindById(pageRoot.ToArray())) is not null;
}
