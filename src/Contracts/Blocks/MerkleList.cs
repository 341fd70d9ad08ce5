using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.Blocks;

/// <summary>
/// The Merkle tree of an ordered list (RFC 6962, section 2.1): leaf = SHA-256(0x00 || item),
/// node = SHA-256(0x01 || left || right), split at the largest power of two below the count, and the
/// empty list hashes to SHA-256 of nothing. Commits a block to its transactions and receipts.
/// </summary>
public static class MerkleList
{
    public static Hash32 Root(IReadOnlyList<byte[]> items) =>
        items.Count == 0 ? Hash32.Sha256([]) : Subtree(items, 0, items.Count);

    /// <summary>The sibling hashes from the leaf up, for an inclusion proof of item <paramref name="index"/>.</summary>
    public static IReadOnlyList<Hash32> Proof(IReadOnlyList<byte[]> items, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, items.Count);
        var path = new List<Hash32>();
        Collect(items, 0, items.Count, index, path);
        return path;
    }

    /// <summary>Whether the proof shows <paramref name="item"/> at <paramref name="index"/> of a list of <paramref name="count"/> under root.</summary>
    public static bool Verify(Hash32 root, byte[] item, int index, int count, IReadOnlyList<Hash32> proof)
    {
        if (index < 0 || index >= count)
        {
            return false;
        }
        var used = 0;
        var hash = Rebuild(item, index, 0, count, proof, ref used);
        return hash is { } h && used == proof.Count && h == root;
    }

    private static Hash32? Rebuild(byte[] item, int index, int start, int end, IReadOnlyList<Hash32> proof, ref int used)
    {
        if (end - start == 1)
        {
            return Leaf(item);
        }
        var split = start + LargestPowerOfTwoBelow(end - start);
        Hash32? inner = index < split
            ? Rebuild(item, index, start, split, proof, ref used)
            : Rebuild(item, index, split, end, proof, ref used);
        if (inner is null || used >= proof.Count)
        {
            return null;
        }
        var sibling = proof[used++];
        return index < split ? Node(inner.Value, sibling) : Node(sibling, inner.Value);
    }

    private static void Collect(IReadOnlyList<byte[]> items, int start, int end, int index, List<Hash32> path)
    {
        if (end - start == 1)
        {
            return;
        }
        var split = start + LargestPowerOfTwoBelow(end - start);
        if (index < split)
        {
            Collect(items, start, split, index, path);
            path.Add(Subtree(items, split, end));
        }
        else
        {
            Collect(items, split, end, index, path);
            path.Add(Subtree(items, start, split));
        }
    }

    private static Hash32 Subtree(IReadOnlyList<byte[]> items, int start, int end)
    {
        if (end - start == 1)
        {
            return Leaf(items[start]);
        }
        var split = start + LargestPowerOfTwoBelow(end - start);
        return Node(Subtree(items, start, split), Subtree(items, split, end));
    }

    internal static Hash32 Leaf(byte[] item)
    {
        // Items are ids and receipts, tens of bytes: the prefixed copy fits on the stack.
        var buffer = item.Length < 1024 ? stackalloc byte[item.Length + 1] : new byte[item.Length + 1];
        buffer[0] = 0;
        item.CopyTo(buffer[1..]);
        return Hash32.Sha256(buffer);
    }

    internal static Hash32 Node(Hash32 left, Hash32 right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 1;
        left.Span.CopyTo(buffer[1..]);
        right.Span.CopyTo(buffer[33..]);
        return Hash32.Sha256(buffer);
    }

    internal static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }
        return k;
    }
}
