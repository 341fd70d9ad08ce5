using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The state tree's nodes, content-addressed. Nodes of older roots are never deleted, so a proof
/// against any committed header can still be built. The tree itself checks each node against its hash.
/// </summary>
public sealed class StoredTreeNodes : ITreeNodeReader
{
    /// <summary>About 100 bytes a node: two generations of this many stay well under 200 MiB.</summary>
    public const int CachedNodesPerGeneration = 400_000;
    private readonly ILiteCollection<BsonDocument> _nodes;
    // Nodes are immutable and named by their hash, so a cached node can never be stale.
    private readonly ReadCache<Hash32, byte[]> _cache = new(CachedNodesPerGeneration);

    internal StoredTreeNodes(NodeDatabase database) => _nodes = database.Collection(StorageCollections.TreeNodes);

    public byte[]? TryGet(Hash32 nodeHash)
    {
        if (_cache.TryGet(nodeHash, out var cached))
        {
            return cached;
        }
        var bytes = _nodes.FindById(nodeHash.ToArray())?["b"].AsBinary;
        if (bytes is not null)
        {
            _cache.Set(nodeHash, bytes);
        }
        return bytes;
    }

    /// <summary>Keeps a committed block's new nodes at hand: the next block's update walks the same paths.</summary>
    internal void Remember(IEnumerable<TreeNode> nodes)
    {
        foreach (var node in nodes)
        {
            _cache.Set(node.Hash, node.Bytes);
        }
    }

    internal bool Contains(Hash32 nodeHash) => _nodes.FindById(nodeHash.ToArray()) is not null;
}
