using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// A unit of storage of the state tree, not part of the protocol: a node at a depth that is a multiple of
/// <see cref="BandDepth"/> (or the root), every node of its subtree down to <see cref="BandDepth"/> − 1 levels
/// below it, and the leaves hanging from the lowest of those. Internal nodes one band down are the roots of
/// other pages. A page is named by its root's hash; leaves are kept without their values.
/// </summary>
/// <remarks>
/// Stored form, in pre-order from the root, left before right:
/// a leaf is <c>0x00 || path || value hash</c>; an internal node is <c>0x01 || child || child</c>, then the
/// entries of its children that are in the page; a child is <c>0x00</c> (empty), <c>0x01</c> (in the page)
/// or <c>0x02 || hash</c> (the root of another page). The hashes of nodes in the page are not stored: reading
/// a page recomputes them, so a page that reads back at all is the subtree its name commits to.
/// </remarks>
public sealed class TreePage
{
    /// <summary>Levels per page: a page holds at most 2^8 − 1 internal nodes and 2^8 leaves.</summary>
    public const int BandDepth = 8;

    /// <summary>Bytes of a node's hash preimage, as a page hands a node out: a tag and two hashes.</summary>
    public const int NodeBytes = TreeHashing.PreimageBytes;

    private const byte EmptyChild = 0x00;
    private const byte ChildInPage = 0x01;
    private const byte ChildElsewhere = 0x02;

    // Node hash to its 65-byte preimage; null for a page of one node from a node store, kept in _single.
    private readonly Dictionary<Hash32, byte[]>? _nodes;
    // A single node's whole bytes (a leaf with its value): no dictionary for what is handed out on every read.
    private readonly byte[]? _single;

    private TreePage(Hash32 root, Dictionary<Hash32, byte[]>? nodes, byte[]? single)
    {
        Root = root;
        _nodes = nodes;
        _single = single;
    }

    private static Dictionary<Hash32, byte[]> NewNodeMap(int capacity) => new(capacity, Hash32Comparer.Instance);

    public Hash32 Root { get; }

    public int NodeCount => _nodes?.Count ?? 1;

    /// <summary>The node's bytes if this page holds it.</summary>
    public byte[]? TryGet(Hash32 nodeHash) => _nodes is not null ? _nodes.GetValueOrDefault(nodeHash) : nodeHash == Root ? _single : null;

    /// <summary>Looks a node up by the bytes of its hash; gives the hash as the page keeps it, so none is made.</summary>
    internal bool TryGet(ReadOnlySpan<byte> nodeHash, out Hash32 hash, out byte[]? bytes)
    {
        if (_nodes is not null)
        {
            return _nodes.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(nodeHash, out hash, out bytes);
        }
        var isRoot = nodeHash.SequenceEqual(Root.Span);
        (hash, bytes) = isRoot ? (Root, _single) : (default, null);
        return isRoot;
    }

    /// <summary>A page of one node, as stores of single nodes hand them out; the bytes are kept whole.</summary>
    public static TreePage Of(TreeNode node) => new(node.Hash, null, node.Bytes);

    /// <summary>A band page of the given nodes, the first its root; leaves are cut to their hash preimage.</summary>
    internal static TreePage Band(IReadOnlyList<TreeNode> nodesRootFirst)
    {
        var nodes = NewNodeMap(nodesRootFirst.Count);
        foreach (var node in nodesRootFirst)
        {
            nodes[node.Hash] = Kept(node.Bytes);
        }
        return new TreePage(nodesRootFirst[0].Hash, nodes, null);
    }

    /// <summary>True for a band page; false for a page of one node from a store of single nodes.</summary>
    internal bool IsBand => _nodes is not null;

    /// <summary>
    /// The band page at this page's position after a batch: this page's nodes without <paramref name="removed"/>,
    /// then with <paramref name="added"/> (in that order: a leaf that moved within the band is in both).
    /// </summary>
    internal TreePage Edit(Hash32 newRoot, IReadOnlyList<Hash32> removed, IReadOnlyList<TreeNode> added)
    {
        // Same comparer: the copy takes the entries as they are, without hashing a key again.
        var nodes = new Dictionary<Hash32, byte[]>(_nodes ?? throw new InvalidOperationException("only a band page is edited"), Hash32Comparer.Instance);
        foreach (var hash in removed)
        {
            nodes.Remove(hash);
        }
        foreach (var node in added)
        {
            nodes[node.Hash] = Kept(node.Bytes);
        }
        return new TreePage(newRoot, nodes, null);
    }

    // A page keeps a leaf without its value: the hash preimage only.
    private static byte[] Kept(byte[] nodeBytes) => nodeBytes.Length == TreeHashing.PreimageBytes ? nodeBytes : nodeBytes[..TreeHashing.PreimageBytes];

    /// <summary>The roots of the pages one band down that this page's nodes point to.</summary>
    public List<Hash32> ChildPageRoots()
    {
        var roots = new List<Hash32>();
        var pending = new Stack<Hash32>();
        pending.Push(Root);
        while (pending.TryPop(out var hash))
        {
            var node = TryGet(hash)!;
            if (node[0] != TreeHashing.InternalTag)
            {
                continue;
            }
            var right = new Hash32(node.AsSpan(1 + Hash32.Size, Hash32.Size));
            var left = new Hash32(node.AsSpan(1, Hash32.Size));
            foreach (var child in (ReadOnlySpan<Hash32>)[right, left])
            {
                if (child == Hash32.Zero)
                {
                    continue;
                }
                if (TryGet(child) is null)
                {
                    roots.Add(child);
                }
                else
                {
                    pending.Push(child);
                }
            }
        }
        return roots;
    }

    /// <summary>The stored form (see the remarks): the same page always encodes to the same bytes.</summary>
    public byte[] Encode()
    {
        var output = new List<byte>(NodeCount * (1 + Hash32.Size));
        Write(Root, output);
        return [.. output];
    }

    /// <summary>Reads a stored page, recomputing every hash in it: the page's root must hash to <paramref name="root"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a page with that root: a broken store.</exception>
    public static TreePage Decode(Hash32 root, ReadOnlySpan<byte> bytes)
    {
        var nodes = NewNodeMap(0);
        var at = 0;
        var read = Read(root, bytes, ref at, 0, nodes);
        if (at != bytes.Length)
        {
            throw new InvalidDataException($"state tree page {root} has {bytes.Length - at} bytes after its last node");
        }
        if (read != root)
        {
            throw new InvalidDataException($"state tree page stored under {root} hashes to {read}");
        }
        return new TreePage(root, nodes, null);
    }

    private void Write(Hash32 hash, List<byte> output)
    {
        var node = TryGet(hash).AsSpan(0, TreeHashing.PreimageBytes);
        if (node[0] == TreeHashing.LeafTag)
        {
            output.AddRange(node);
            return;
        }
        output.Add(TreeHashing.InternalTag);
        var left = new Hash32(node.Slice(1, Hash32.Size));
        var right = new Hash32(node.Slice(1 + Hash32.Size, Hash32.Size));
        WriteChild(left, output);
        WriteChild(right, output);
        foreach (var child in (ReadOnlySpan<Hash32>)[left, right])
        {
            if (child != Hash32.Zero && TryGet(child) is not null)
            {
                Write(child, output);
            }
        }
    }

    private void WriteChild(Hash32 child, List<byte> output)
    {
        if (child == Hash32.Zero)
        {
            output.Add(EmptyChild);
        }
        else if (TryGet(child) is not null)
        {
            output.Add(ChildInPage);
        }
        else
        {
            output.Add(ChildElsewhere);
            output.AddRange(child.Span);
        }
    }

    /// <summary>Reads the entry at <paramref name="at"/> and those of its children in the page; returns its hash.</summary>
    private static Hash32 Read(Hash32 root, ReadOnlySpan<byte> bytes, ref int at, int depth, Dictionary<Hash32, byte[]> nodes)
    {
        var preimage = new byte[TreeHashing.PreimageBytes];
        var tag = Take(root, bytes, ref at, 1)[0];
        if (tag == TreeHashing.LeafTag)
        {
            if (depth > BandDepth)
            {
                throw new InvalidDataException($"state tree page {root} has a leaf {depth} levels below its root");
            }
            Take(root, bytes, ref at, 2 * Hash32.Size).CopyTo(preimage.AsSpan(1));
        }
        else if (tag == TreeHashing.InternalTag)
        {
            if (depth >= BandDepth)
            {
                throw new InvalidDataException($"state tree page {root} has an internal node {depth} levels below its root");
            }
            preimage[0] = TreeHashing.InternalTag;
            Span<byte> kinds = stackalloc byte[2];
            for (var side = 0; side < 2; side++)
            {
                kinds[side] = Take(root, bytes, ref at, 1)[0];
                if (kinds[side] == ChildElsewhere)
                {
                    Take(root, bytes, ref at, Hash32.Size).CopyTo(preimage.AsSpan(1 + (side * Hash32.Size)));
                }
                else if (kinds[side] != EmptyChild && kinds[side] != ChildInPage)
                {
                    throw new InvalidDataException($"state tree page {root} has a child of unknown kind {kinds[side]}");
                }
            }
            for (var side = 0; side < 2; side++)
            {
                if (kinds[side] == ChildInPage)
                {
                    Read(root, bytes, ref at, depth + 1, nodes).Span.CopyTo(preimage.AsSpan(1 + (side * Hash32.Size)));
                }
            }
        }
        else
        {
            throw new InvalidDataException($"state tree page {root} has a node of unknown tag {tag}");
        }
        var hash = TreeHashing.Sha256(preimage);
        if (!nodes.TryAdd(hash, preimage))
        {
            throw new InvalidDataException($"state tree page {root} holds node {hash} twice");
        }
        return hash;
    }

    private static ReadOnlySpan<byte> Take(Hash32 root, ReadOnlySpan<byte> bytes, ref int at, int count)
    {
        if (bytes.Length - at < count)
        {
            throw new InvalidDataException($"state tree page {root} ends in the middle of a node");
        }
        var taken = bytes.Slice(at, count);
        at += count;
        return taken;
    }
}
