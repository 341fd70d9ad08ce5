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
    private readonly ILiteCollection<BsonDocument> _nodes;

    internal StoredTreeNodes(NodeDatabase database) => _nodes = database.Collection(StorageCollections.TreeNodes);

    public byte[]? TryGet(Hash32 nodeHash) => _nodes.FindById(nodeHash.ToArray())?["b"].AsBinary;

    internal bool Contains(Hash32 nodeHash) => _nodes.FindById(nodeHash.ToArray()) is not null;
}
