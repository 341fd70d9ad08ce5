using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// A unit of storage of the state tree, not part of the protocol: a node at a depth that is a multiple of
/// <see cref="BandDepth"/> (or the root), every node of its subtree down to <see cref="BandDepth"/> − 1 levels
/// below it, and the leaves hanging from the lowest of those. Internal nodes one band down are the roots of
/// other pages. Nodes are kept as their 65-byte hash preimages only (a leaf without its value), so a page
/// is named by its root's hash and every node in it can be checked against its own hash.
/// </summary>
public sealed class TreePage
{
    /// <summary>Levels per page: a page holds at most 2^8 − 1 internal nodes and 2^8 leaves.</summary>
    public const int BandDepth = 8;

    /// <summary>Bytes a node takes in a page: its hash preimage, a tag and two hashes.</summary>
    public const int NodeBytes = TreeHashing.PreimageBytes;

    private readonly Dictionary<Hash32, byte[]>? _nodes;
    // The nodes in stored order, root first: a dictionary's order is not something to write down.
    private readonly byte[][] _inOrder;

    private TreePage(Hash32 root, Dictionary<Hash32, byte[]>? nodes, byte[][] inOrder)
    {
        Root = root;
        _nodes = nodes;
        _inOrder = inOrder;
    }

    public Hash32 Root { get; }

    public int NodeCount => _inOrder.Length;

    /// <summary>The node's bytes if this page holds it.</summary>
    public byte[]? TryGet(Hash32 nodeHash) =>
        _nodes is not null ? _nodes.GetValueOrDefault(nodeHash) : nodeHash == Root ? _inOrder[0] : null;

    /// <summary>A page of one node, as stores of single nodes hand them out; the bytes are kept whole.</summary>
    public static TreePage Of(TreeNode node) => new(node.Hash, null, [node.Bytes]);

    /// <summary>A band page of nodes in pre-order, root first; leaves are cut to their hash preimage.</summary>
    internal static TreePage Band(IReadOnlyList<TreeNode> nodesRootFirst)
    {
        var nodes = new Dictionary<Hash32, byte[]>(nodesRootFirst.Count);
        var inOrder = new byte[nodesRootFirst.Count][];
        for (var i = 0; i < inOrder.Length; i++)
        {
            var node = nodesRootFirst[i];
            inOrder[i] = node.Bytes.Length == TreeHashing.PreimageBytes ? node.Bytes : node.Bytes[..TreeHashing.PreimageBytes];
            nodes.Add(node.Hash, inOrder[i]);
        }
        return new TreePage(nodesRootFirst[0].Hash, nodes, inOrder);
    }

    /// <summary>The stored form: each node's 65-byte preimage, the root first.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[_inOrder.Length * TreeHashing.PreimageBytes];
        for (var i = 0; i < _inOrder.Length; i++)
        {
            _inOrder[i].AsSpan(0, TreeHashing.PreimageBytes).CopyTo(bytes.AsSpan(i * TreeHashing.PreimageBytes));
        }
        return bytes;
    }

    /// <summary>Reads a stored page, hashing every node: the page must start with the node named <paramref name="root"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a page with that root: a broken store.</exception>
    public static TreePage Decode(Hash32 root, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length % TreeHashing.PreimageBytes != 0)
        {
            throw new InvalidDataException($"state tree page {root} has {bytes.Length} bytes, not a positive multiple of {TreeHashing.PreimageBytes}");
        }
        var count = bytes.Length / TreeHashing.PreimageBytes;
        var nodes = new Dictionary<Hash32, byte[]>(count);
        var inOrder = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var node = bytes.Slice(i * TreeHashing.PreimageBytes, TreeHashing.PreimageBytes);
            var hash = TreeNodeEncoding.HashOf(node);
            if (i == 0 && hash != root)
            {
                throw new InvalidDataException($"state tree page stored under {root} starts with node {hash}");
            }
            inOrder[i] = node.ToArray();
            if (!nodes.TryAdd(hash, inOrder[i]))
            {
                throw new InvalidDataException($"state tree page {root} holds node {hash} twice");
            }
        }
        return new TreePage(root, nodes, inOrder);
    }
}
