using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Builds a new band page from the old page at the same position (<see cref="TreePage.Edit"/>): it walks only the
/// paths the batch changed, old and new side by side, dropping the old nodes and adding the new ones. The nodes of
/// untouched subtrees, most of a page, are copied with the old page's entries instead of one by one.
/// </summary>
internal sealed class TreePageEditor(
    TreePage oldPage, Dictionary<Hash32, byte[]> created, Dictionary<Hash32, TreePage> pagesSeen,
    Stack<(Hash32 Hash, byte[] Bytes, int Depth, TreePage? OldPage, Hash32 Replaces)> pending)
{
    private readonly List<Hash32> _removed = [];
    private readonly List<TreeNode> _added = [];

    /// <summary>The page of new node <paramref name="root"/> at <paramref name="depth"/>, which replaces the old page's root.</summary>
    public TreePage Edit(Hash32 root, byte[] bytes, int depth)
    {
        Replace(root, bytes, oldPage.Root, oldPage.TryGet(oldPage.Root)!, depth, depth + TreePage.BandDepth);
        return oldPage.Edit(root, _removed, _added);
    }

    /// <summary>New node <paramref name="node"/> takes the position of <paramref name="old"/> (zero if the position was empty).</summary>
    private void Replace(Hash32 node, byte[] bytes, Hash32 old, byte[]? oldBytes, int depth, int bandEnd)
    {
        if (oldBytes is not null)
        {
            _removed.Add(old);
        }
        _added.Add(new TreeNode(node, bytes));
        var oldIsInternal = oldBytes is not null && oldBytes[0] == TreeHashing.InternalTag;
        if (bytes[0] == TreeHashing.LeafTag)
        {
            if (oldIsInternal)
            {
                RemoveBelow(oldBytes!);
            }
            return;
        }
        var childDepth = depth + 1;
        for (var side = 0; side < 2; side++)
        {
            var child = bytes.AsSpan(1 + (side * Hash32.Size), Hash32.Size);
            var oldChild = oldIsInternal ? oldBytes.AsSpan(1 + (side * Hash32.Size), Hash32.Size) : Hash32.Zero.Span;
            if (child.SequenceEqual(oldChild))
            {
                // Unchanged (or empty on both sides): the copied entries already hold it.
                continue;
            }
            // The old child's entry, if the old page holds it (an internal node one band down is another page's root).
            Hash32 oldChildHash = default;
            byte[]? oldChildBytes = null;
            if (oldChild.ContainsAnyExcept((byte)0))
            {
                oldPage.TryGet(oldChild, out oldChildHash, out oldChildBytes);
            }
            if (!child.ContainsAnyExcept((byte)0))
            {
                DropSubtree(oldChildHash, oldChildBytes);
                continue;
            }
            var (childHash, childBytes, childOldPage) = TreePager.Resolve(child, null, created, pagesSeen);
            if (childBytes is null)
            {
                throw TreePager.Missing(new Hash32(child));
            }
            var childIsLeaf = childBytes[0] == TreeHashing.LeafTag;
            if (childDepth == bandEnd)
            {
                // One band down: a leaf hangs in this page; a new internal node roots a new page, edited from the old child's.
                DropSubtree(oldChildHash, oldChildBytes);
                if (childIsLeaf)
                {
                    _added.Add(new TreeNode(childHash, childBytes));
                }
                else if (childOldPage is null)
                {
                    pending.Push((childHash, childBytes, childDepth, null, oldChild.ContainsAnyExcept((byte)0) ? new Hash32(oldChild) : Hash32.Zero));
                }
                continue;
            }
            if (childOldPage is not null)
            {
                // An old node in a new place: only leaves move (pulled up by a delete, pushed down by an insert).
                if (!childIsLeaf)
                {
                    throw new InvalidOperationException($"state tree node {childHash} is an old internal node in a new place");
                }
                DropSubtree(oldChildHash, oldChildBytes);
                _added.Add(new TreeNode(childHash, childBytes));
                continue;
            }
            Replace(childHash, childBytes, oldChildHash, oldChildBytes, childDepth, bandEnd);
        }
    }

    /// <summary>Drops an old node of this page and every node of the page below it.</summary>
    private void DropSubtree(Hash32 old, byte[]? oldBytes)
    {
        if (oldBytes is null)
        {
            return;
        }
        _removed.Add(old);
        if (oldBytes[0] == TreeHashing.InternalTag)
        {
            RemoveBelow(oldBytes);
        }
    }

    private void RemoveBelow(byte[] internalBytes)
    {
        for (var side = 0; side < 2; side++)
        {
            var child = internalBytes.AsSpan(1 + (side * Hash32.Size), Hash32.Size);
            if (child.ContainsAnyExcept((byte)0) && oldPage.TryGet(child, out var hash, out var bytes))
            {
                DropSubtree(hash, bytes);
            }
        }
    }
}
