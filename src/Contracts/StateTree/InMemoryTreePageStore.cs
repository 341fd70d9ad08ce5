using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Band pages in a dictionary, as a node's database keeps them: for tests and synthetic chains that must
/// produce what a node writes. Leaves carry no values, so <see cref="SparseMerkleTree.Get"/> cannot read
/// through it. Not thread-safe: one writer at a time.
/// </summary>
public sealed class InMemoryTreePageStore : ITreePageReader
{
    private readonly Dictionary<Hash32, TreePage> _pages = [];

    public int Count => _pages.Count;

    public bool KeepsBandPages => true;

    public TreePage? TryGetPage(Hash32 pageRoot) => _pages.GetValueOrDefault(pageRoot);

    /// <summary>Stores one batch, typically <see cref="TreeUpdate.NewPages"/> of one block; a page already present is kept.</summary>
    public void Put(IReadOnlyList<TreePage> pages)
    {
        foreach (var page in pages)
        {
            _pages.TryAdd(page.Root, page);
        }
    }

    /// <summary>Drops a page, as a damaged store would lose it.</summary>
    public bool Remove(Hash32 pageRoot) => _pages.Remove(pageRoot);
}
