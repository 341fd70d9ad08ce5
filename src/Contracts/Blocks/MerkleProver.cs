using System.Collections.Concurrent;
using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.Blocks;

/// <summary>
/// Inclusion proofs of one list (RFC 6962, as <see cref="MerkleList"/>) served many times: each subtree is hashed once
/// and kept, so every proof after the first costs a walk of log2(n) look-ups, not n hashes. A node answering thousands
/// of waiting submitters of one block computes the block's receipt tree once. Thread-safe.
/// </summary>
public sealed class MerkleProver
{
    private readonly IReadOnlyList<byte[]> _items;
    private readonly ConcurrentDictionary<(int Start, int End), Hash32> _subtrees = new();

    public MerkleProver(IReadOnlyList<byte[]> items) => _items = items;

    public int Count => _items.Count;

    public Hash32 Root => _items.Count == 0 ? Hash32.Sha256([]) : Subtree(0, _items.Count);

    /// <summary>The same path as <see cref="MerkleList.Proof"/>: sibling hashes from the leaf up.</summary>
    public IReadOnlyList<Hash32> Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _items.Count);
        var path = new List<Hash32>();
        var (start, end) = (0, _items.Count);
        var siblings = new Stack<Hash32>();
        while (end - start > 1)
        {
            var split = start + MerkleList.LargestPowerOfTwoBelow(end - start);
            if (index < split)
            {
                siblings.Push(Subtree(split, end));
                end = split;
            }
            else
            {
                siblings.Push(Subtree(start, split));
                start = split;
            }
        }
        // Walked from the root down; a proof lists siblings from the leaf up.
        path.AddRange(siblings);
        return path;
    }

    private Hash32 Subtree(int start, int end) => _subtrees.TryGetValue((start, end), out var known)
        ? known
        : _subtrees[(start, end)] = end - start == 1
            ? MerkleList.Leaf(_items[start])
            : MerkleList.Node(Subtree(start, start + MerkleList.LargestPowerOfTwoBelow(end - start)), Subtree(start + MerkleList.LargestPowerOfTwoBelow(end - start), end));
}
