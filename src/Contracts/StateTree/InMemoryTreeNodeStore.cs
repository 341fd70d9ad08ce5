using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// A node store in a dictionary, each node a page of one, leaves with their values: for tests and for state
/// that is rebuilt on start. Not thread-safe: one writer (the block executor) at a time. Returned arrays are
/// the stored ones; callers must not change them.
/// </summary>
public sealed class InMemoryTreeNodeStore : ITreePageReader
{
    private readonly Dictionary<Hash32, byte[]> _nodes = [];

    public int Count => _nodes.Count;

    public bool KeepsBandPages => false;

    // A page object per read, not per node kept: an auditor's store holds millions of nodes.
    public TreePage? TryGetPage(Hash32 pageRoot) => _nodes.TryGetValue(pageRoot, out var bytes) ? TreePage.Of(new TreeNode(pageRoot, bytes)) : null;

    public byte[]? TryGet(Hash32 nodeHash) => _nodes.GetValueOrDefault(nodeHash);

    /// <summary>Stores one batch, typically <see cref="TreeUpdate.NewNodes"/> of one block.</summary>
    /// <exception cref="ArgumentException">A node's bytes do not hash to the hash it is offered under.</exception>
    public void Put(IReadOnlyList<TreeNode> nodes)
    {
        // Check the whole batch first so that a bad batch leaves the store as it was.
        foreach (var node in nodes)
        {
            if (node.Bytes is null || node.Bytes.Length < TreeHashing.PreimageBytes || TreeNodeEncoding.HashOf(node.Bytes) != node.Hash)
            {
                throw new ArgumentException($"node offered under {node.Hash} is not a node with that hash", nameof(nodes));
            }
        }
        foreach (var node in nodes)
        {
            // Content-addressed: a node already present has the same bytes.
            _nodes.TryAdd(node.Hash, node.Bytes);
        }
    }

    /// <summary>Drops nodes, e.g. <see cref="TreeUpdate.StaleNodes"/> once no retained root needs them.</summary>
    public void Remove(IEnumerable<Hash32> nodeHashes)
    {
        foreach (var hash in nodeHashes)
        {
            _nodes.Remove(hash);
        }
    }
}
