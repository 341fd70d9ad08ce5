using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// The authenticated key-value map behind the state root: a compacted binary sparse Merkle tree over
/// 256-bit paths (SHA-256 of the key), as specified in docs/PROTOCOL.md, "State tree and state proofs".
/// An instance is an immutable view of one root; <see cref="Apply"/> computes the next root and the nodes
/// to persist without writing anything, so the caller stores them in one batch per block.
/// </summary>
public sealed class SparseMerkleTree
{
    private readonly ITreePageReader _reader;

    public SparseMerkleTree(ITreePageReader reader, Hash32 root)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        Root = root;
    }

    /// <summary>The root of the empty tree: an empty subtree hashes to 32 zero bytes.</summary>
    public static Hash32 EmptyRoot => Hash32.Zero;

    public Hash32 Root { get; }

    /// <summary>
    /// Computes the tree that results from applying <paramref name="changes"/> (a null value deletes the key;
    /// deleting an absent key does nothing). The order of changes does not matter; a key may appear once.
    /// </summary>
    /// <exception cref="ArgumentException">A key is null or appears twice.</exception>
    /// <exception cref="InvalidDataException">The store lacks a node or holds a corrupt one.</exception>
    public TreeUpdate Apply(IReadOnlyList<KeyValuePair<byte[], byte[]?>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var sorted = new Change[changes.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            var (key, value) = changes[i];
            if (key is null)
            {
                throw new ArgumentException($"change {i} has a null key", nameof(changes));
            }
            var path = TreeHashing.PathOf(key);
            sorted[i] = value is null ? new Change(path, key, null) : new Change(path, key, TreeNodeEncoding.Leaf(path, value));
        }
        // Paths fully order distinct keys, so the unstable sort is still deterministic.
        Array.Sort(sorted, static (x, y) => x.Path.Span.SequenceCompareTo(y.Path.Span));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Path == sorted[i - 1].Path)
            {
                throw new ArgumentException($"key {Convert.ToHexStringLower(sorted[i].Key)} is changed twice in one batch", nameof(changes));
            }
        }

        var batch = new Batch(_reader.KeepsBandPages);
        var result = Update(Root, 0, null, sorted, batch);
        var pages = batch.PagesSeen is null || result.Hash == Root ? [] : TreePager.NewPages(Root, result.Hash, batch.NewNodes, batch.PagesSeen);
        return new TreeUpdate(result.Hash, batch.NewNodes, batch.StaleNodesNotReused(), pages);
    }

    /// <summary>The value stored under <paramref name="key"/>, or null if the key is absent.</summary>
    /// <exception cref="InvalidDataException">The store lacks a node or holds a corrupt one.</exception>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var path = TreeHashing.PathOf(key);
        var node = Root;
        TreePage? page = null;
        for (var depth = 0; node != Hash32.Zero; depth++)
        {
            (var decoded, page) = Load(node, depth, page, null);
            if (decoded.IsLeaf)
            {
                return decoded.Path == path ? TreeNodeEncoding.ValueOf(decoded, node) : null;
            }
            node = TreeHashing.Bit(path.Span, depth) == 0 ? decoded.Left : decoded.Right;
        }
        return null;
    }

    /// <summary>A proof of the key's value, or of its absence, under <see cref="Root"/>.</summary>
    /// <exception cref="InvalidDataException">The store lacks a node or holds a corrupt one.</exception>
    public StateProof Prove(ReadOnlySpan<byte> key)
    {
        var path = TreeHashing.PathOf(key);
        var siblings = new List<Hash32>();
        var node = Root;
        TreePage? page = null;
        for (var depth = 0; node != Hash32.Zero; depth++)
        {
            (var decoded, page) = Load(node, depth, page, null);
            if (decoded.IsLeaf)
            {
                return new StateProof(siblings, new StateProofLeaf(decoded.Path, decoded.ValueHash));
            }
            var goLeft = TreeHashing.Bit(path.Span, depth) == 0;
            siblings.Add(goLeft ? decoded.Right : decoded.Left);
            node = goLeft ? decoded.Left : decoded.Right;
        }
        return new StateProof(siblings, null);
    }

    /// <param name="parentPage">The page the parent was read from: where the node is looked for first.</param>
    private Subtree Update(Hash32 node, int depth, TreePage? parentPage, ReadOnlySpan<Change> changes, Batch batch)
    {
        if (changes.IsEmpty)
        {
            return node == Hash32.Zero ? Subtree.Empty : new Subtree(SubtreeKind.Unknown, node);
        }
        if (node == Hash32.Zero)
        {
            return Build(LeavesOf(changes, existing: null), depth, batch);
        }
        var (decoded, page) = Load(node, depth, parentPage, batch);
        if (decoded.IsLeaf)
        {
            return Build(LeavesOf(changes, new ExistingLeaf(node, decoded.Path, batch)), depth, batch);
        }
        var split = SplitPoint(changes, depth);
        var left = Update(decoded.Left, depth + 1, page, changes[..split], batch);
        var right = Update(decoded.Right, depth + 1, page, changes[split..], batch);
        if (left.Hash == decoded.Left && right.Hash == decoded.Right)
        {
            return new Subtree(SubtreeKind.Internal, node);
        }
        batch.Stale.Add(node);
        if (left.Kind == SubtreeKind.Empty && right.Kind == SubtreeKind.Empty)
        {
            return Subtree.Empty;
        }
        if (left.Kind == SubtreeKind.Empty || right.Kind == SubtreeKind.Empty)
        {
            // A subtree holding a single leaf is that leaf, wherever it sits: pull a lone leaf up.
            var other = left.Kind == SubtreeKind.Empty ? right : left;
            if (other.Kind == SubtreeKind.Leaf || (other.Kind == SubtreeKind.Unknown && Load(other.Hash, depth + 1, page, batch).Node.IsLeaf))
            {
                return new Subtree(SubtreeKind.Leaf, other.Hash);
            }
        }
        return batch.Emit(TreeNodeEncoding.Internal(left.Hash, right.Hash), SubtreeKind.Internal);
    }

    /// <summary>Builds the canonical subtree of leaves that all share the first <paramref name="depth"/> path bits.</summary>
    private static Subtree Build(ReadOnlySpan<Leaf> leaves, int depth, Batch batch)
    {
        if (leaves.IsEmpty)
        {
            return Subtree.Empty;
        }
        if (leaves.Length == 1)
        {
            var leaf = leaves[0];
            return leaf.Node is { } node ? batch.Emit(node, SubtreeKind.Leaf) : new Subtree(SubtreeKind.Leaf, leaf.Hash);
        }
        if (depth >= TreeHashing.PathBits)
        {
            throw new InvalidOperationException("two leaves share a whole path; duplicates should have been refused");
        }
        var split = SplitPoint(leaves, depth);
        var left = Build(leaves[..split], depth + 1, batch);
        var right = Build(leaves[split..], depth + 1, batch);
        return batch.Emit(TreeNodeEncoding.Internal(left.Hash, right.Hash), SubtreeKind.Internal);
    }

    /// <summary>
    /// The leaves a subtree holds after the changes: the inserted and updated ones, plus the leaf that was
    /// there unless a change replaces or deletes it. Kept in path order.
    /// </summary>
    private static Leaf[] LeavesOf(ReadOnlySpan<Change> changes, ExistingLeaf? existing)
    {
        var leaves = new List<Leaf>(changes.Length + 1);
        var existingPending = existing is not null;
        foreach (var change in changes)
        {
            if (existingPending)
            {
                var order = change.Path.Span.SequenceCompareTo(existing!.Path.Span);
                if (order > 0)
                {
                    leaves.Add(new Leaf(existing.Path, existing.Hash, null));
                    existingPending = false;
                }
                else if (order == 0)
                {
                    existingPending = false;
                    if (change.Node?.Hash == existing.Hash)
                    {
                        // Same key, same value: the stored leaf stays and nothing is written.
                        leaves.Add(new Leaf(existing.Path, existing.Hash, null));
                        continue;
                    }
                    existing.Batch.Stale.Add(existing.Hash);
                }
            }
            if (change.Node is { } node)
            {
                leaves.Add(new Leaf(change.Path, node.Hash, node));
            }
        }
        if (existingPending)
        {
            leaves.Add(new Leaf(existing!.Path, existing.Hash, null));
        }
        return [.. leaves];
    }

    /// <summary>Index of the first entry whose path has bit <paramref name="depth"/> set; entries are in path order.</summary>
    private static int SplitPoint<T>(ReadOnlySpan<T> sorted, int depth)
        where T : IHasPath
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (TreeHashing.Bit(sorted[mid].Path.Span, depth) == 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /// <summary>
    /// Reads a node from its parent's page, or else from the page it is the root of, and checks it.
    /// <paramref name="batch"/> (when building pages) remembers where the node and its children were found.
    /// </summary>
    private (DecodedNode Node, TreePage Page) Load(Hash32 hash, int depth, TreePage? parentPage, Batch? batch)
    {
        var bytes = parentPage?.TryGet(hash);
        var page = parentPage;
        if (bytes is null || page is null)
        {
            page = _reader.TryGetPage(hash) ?? throw new InvalidDataException($"state tree node {hash} is missing from the store");
            bytes = page.TryGet(hash) ?? throw new InvalidDataException($"state tree page {hash} does not hold its own root node");
        }
        var decoded = TreeNodeEncoding.Decode(hash, bytes);
        if (!decoded.IsLeaf && depth >= TreeHashing.PathBits)
        {
            // Paths have 256 bits, so only leaves can sit at depth 256; this also stops a cyclic store.
            throw new InvalidDataException($"state tree under {Root} has an internal node {hash} at depth {depth}");
        }
        batch?.Saw(hash, decoded, page);
        return (decoded, page);
    }

    private interface IHasPath
    {
        Hash32 Path { get; }
    }

    private enum SubtreeKind : byte
    {
        Empty,
        Leaf,
        Internal,

        // An untouched subtree taken over from the old tree: only its hash is known until loaded.
        Unknown,
    }

    private readonly record struct Subtree(SubtreeKind Kind, Hash32 Hash)
    {
        public static Subtree Empty => new(SubtreeKind.Empty, Hash32.Zero);
    }

    /// <summary>A change in path order; <see cref="Node"/> is the new leaf, or null to delete.</summary>
    private readonly record struct Change(Hash32 Path, byte[] Key, TreeNode? Node) : IHasPath;

    /// <summary>A leaf of a rebuilt subtree; <see cref="Node"/> is null when it is already stored.</summary>
    private readonly record struct Leaf(Hash32 Path, Hash32 Hash, TreeNode? Node) : IHasPath;

    private sealed record ExistingLeaf(Hash32 Hash, Hash32 Path, Batch Batch);

    private sealed class Batch(bool buildsPages)
    {
        public List<TreeNode> NewNodes { get; } = [];

        /// <summary>
        /// For each old node read, and each child of an old internal node read, the page it was read from (for a
        /// child: its parent's page, which holds it unless it is a page root). Every old node a new page needs is
        /// one of these: the untouched siblings along changed paths, and the leaves that moved.
        /// </summary>
        public Dictionary<Hash32, TreePage>? PagesSeen { get; } = buildsPages ? new(Hash32Comparer.Instance) : null;

        public void Saw(Hash32 hash, DecodedNode node, TreePage page)
        {
            if (PagesSeen is null)
            {
                return;
            }
            PagesSeen[hash] = page;
            if (!node.IsLeaf)
            {
                PagesSeen.TryAdd(node.Left, page);
                PagesSeen.TryAdd(node.Right, page);
            }
        }

        public List<Hash32> Stale { get; } = [];

        public Subtree Emit(TreeNode node, SubtreeKind kind)
        {
            NewNodes.Add(node);
            return new Subtree(kind, node.Hash);
        }

        public List<Hash32> StaleNodesNotReused()
        {
            if (Stale.Count == 0)
            {
                return Stale;
            }
            // Content addressing would let a node come back within the batch; it is then not stale.
            // Sized up front: a large block makes tens of thousands of nodes, and growing the set step by step cost
            // ~3% of a validator's time at full speed.
            var created = new HashSet<Hash32>(NewNodes.Count);
            foreach (var node in NewNodes)
            {
                created.Add(node.Hash);
            }
            return Stale.Where(h => !created.Contains(h)).ToList();
        }
    }
}
