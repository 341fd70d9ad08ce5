using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Cuts the tree after a batch into the band pages that are new (see <see cref="TreePage"/>): the root's page,
/// and the page of every new internal node at a depth that is a multiple of <see cref="TreePage.BandDepth"/>.
/// A new page that replaces an old one at its position is edited from it (<see cref="TreePageEditor"/>); another
/// is filled from the batch's new nodes and from the old pages the batch read on its way down.
/// </summary>
internal static class TreePager
{
    /// <exception cref="InvalidOperationException">An old node a new page needs was not read by the batch: a bug.</exception>
    /// <param name="oldRoot">The root before the batch.</param>
    public static List<TreePage> NewPages(Hash32 oldRoot, Hash32 root, IReadOnlyList<TreeNode> newNodes, Dictionary<Hash32, TreePage> pagesSeen)
    {
        var pages = new List<TreePage>();
        if (root == Hash32.Zero)
        {
            return pages;
        }
        var created = new Dictionary<Hash32, byte[]>(newNodes.Count, Hash32Comparer.Instance);
        foreach (var node in newNodes)
        {
            created[node.Hash] = node.Bytes;
        }
        var (_, rootBytes, rootPage) = Resolve(root.Span, null, created, pagesSeen);
        if (rootPage is not null && rootBytes is not null && rootBytes[0] == TreeHashing.InternalTag)
        {
            // An old internal root was the root of an earlier block (internal nodes never move): its page is stored.
            return pages;
        }
        // A new root, or an old leaf pulled up to the root (it was stored inside another page): the root gets a page.
        var pending = new Stack<(Hash32 Hash, byte[] Bytes, int Depth, TreePage? OldPage, Hash32 Replaces)>();
        pending.Push((root, rootBytes ?? throw Missing(root), 0, rootPage, oldRoot));
        var band = new List<TreeNode>();
        while (pending.TryPop(out var top))
        {
            if (top.OldPage is null && top.Replaces != Hash32.Zero
                && pagesSeen.TryGetValue(top.Replaces, out var replaced) && replaced.Root == top.Replaces && replaced.IsBand)
            {
                pages.Add(new TreePageEditor(replaced, created, pagesSeen, pending).Edit(top.Hash, top.Bytes, top.Depth));
                continue;
            }
            band.Clear();
            Collect(top.Hash, top.Bytes, top.Depth, top.Depth + TreePage.BandDepth, top.OldPage, created, pagesSeen, band, pending);
            pages.Add(TreePage.Band(band));
        }
        return pages;
    }

    /// <summary>Adds a node and, below it, the rest of its band in pre-order; queues new page roots one band down.</summary>
    /// <param name="oldPage">The old page the node was found in, or null for a new node.</param>
    private static void Collect(
        Hash32 hash, byte[] bytes, int depth, int bandEnd, TreePage? oldPage, Dictionary<Hash32, byte[]> created,
        Dictionary<Hash32, TreePage> pagesSeen, List<TreeNode> band, Stack<(Hash32, byte[], int, TreePage?, Hash32)> pending)
    {
        band.Add(new TreeNode(hash, bytes));
        if (bytes[0] == TreeHashing.LeafTag)
        {
            return;
        }
        var childDepth = depth + 1;
        for (var side = 0; side < 2; side++)
        {
            // Children are looked up by their bytes in the parent: most are old nodes, whose hashes the pages already hold.
            var childHash = bytes.AsSpan(1 + (side * Hash32.Size), Hash32.Size);
            if (!childHash.ContainsAnyExcept((byte)0))
            {
                continue;
            }
            var (child, childBytes, childPage) = Resolve(childHash, oldPage, created, pagesSeen);
            if (childDepth == bandEnd)
            {
                if (childBytes is null)
                {
                    // Not in its parent's old page: an old internal node one band down, the root of a stored page.
                    continue;
                }
                if (childBytes[0] == TreeHashing.LeafTag)
                {
                    band.Add(new TreeNode(child, childBytes));
                }
                else if (childPage is null)
                {
                    // A page at a position that was empty, or that is rebuilt whole: nothing to edit.
                    pending.Push((child, childBytes, childDepth, null, Hash32.Zero));
                }
                continue;
            }
            Collect(child, childBytes ?? throw Missing(new Hash32(childHash)), childDepth, bandEnd, childPage, created, pagesSeen, band, pending);
        }
    }

    /// <summary>A node's hash, bytes and the old page holding them (null for a new node); null bytes if the page lacks it.</summary>
    internal static (Hash32 Hash, byte[]? Bytes, TreePage? OldPage) Resolve(
        ReadOnlySpan<byte> hash, TreePage? parentOldPage, Dictionary<Hash32, byte[]> created, Dictionary<Hash32, TreePage> pagesSeen)
    {
        if (parentOldPage is null && created.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(hash, out var key, out var bytes))
        {
            return (key, bytes, null);
        }
        // An old node's children sit in its own page; a new node's old child was seen by the batch.
        var page = parentOldPage;
        if (page is null && !pagesSeen.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(hash, out page))
        {
            throw Missing(new Hash32(hash));
        }
        page!.TryGet(hash, out key, out bytes);
        return (key, bytes, page);
    }

    internal static InvalidOperationException Missing(Hash32 hash) =>
        new($"state tree node {hash} belongs in a new page but the batch neither created nor read it");
}
