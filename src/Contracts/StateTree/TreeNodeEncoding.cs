using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Node bytes as stored (docs/PROTOCOL.md, "State tree and state proofs", "Node encoding"):
/// leaf <c>0x00 || path || SHA-256(value) || value</c>, internal <c>0x01 || left || right</c>.
/// The first 65 bytes are exactly the hash preimage, so a node's hash is SHA-256 of them and a store
/// can be checked without knowing the tree.
/// </summary>
internal static class TreeNodeEncoding
{
    public static TreeNode Leaf(Hash32 path, ReadOnlySpan<byte> value)
    {
        var bytes = new byte[TreeHashing.PreimageBytes + value.Length];
        bytes[0] = TreeHashing.LeafTag;
        path.Span.CopyTo(bytes.AsSpan(1));
        // The value hash is kept beside the value so that proofs and hashing never rehash values.
        TreeHashing.Sha256(value).Span.CopyTo(bytes.AsSpan(1 + Hash32.Size));
        value.CopyTo(bytes.AsSpan(TreeHashing.PreimageBytes));
        return new TreeNode(HashOf(bytes), bytes);
    }

    public static TreeNode Internal(Hash32 left, Hash32 right)
    {
        var bytes = new byte[TreeHashing.PreimageBytes];
        bytes[0] = TreeHashing.InternalTag;
        left.Span.CopyTo(bytes.AsSpan(1));
        right.Span.CopyTo(bytes.AsSpan(1 + Hash32.Size));
        return new TreeNode(HashOf(bytes), bytes);
    }

    public static Hash32 HashOf(ReadOnlySpan<byte> encoded) => TreeHashing.Sha256(encoded[..TreeHashing.PreimageBytes]);

    /// <summary>Decodes a node read from a store and checks it is the node that was asked for.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed node with that hash: a broken store.</exception>
    public static DecodedNode Decode(Hash32 expectedHash, byte[] bytes)
    {
        if (bytes.Length < TreeHashing.PreimageBytes)
        {
            throw new InvalidDataException($"state tree node {expectedHash} has {bytes.Length} bytes, fewer than {TreeHashing.PreimageBytes}");
        }
        if (HashOf(bytes) != expectedHash)
        {
            throw new InvalidDataException($"state tree node stored under {expectedHash} hashes to {HashOf(bytes)}");
        }
        var a = new Hash32(bytes.AsSpan(1, Hash32.Size));
        var b = new Hash32(bytes.AsSpan(1 + Hash32.Size, Hash32.Size));
        switch (bytes[0])
        {
            case TreeHashing.LeafTag:
                return new DecodedNode(IsLeaf: true, a, b, bytes);
            case TreeHashing.InternalTag when bytes.Length != TreeHashing.PreimageBytes:
                throw new InvalidDataException($"internal state tree node {expectedHash} has {bytes.Length} bytes, not {TreeHashing.PreimageBytes}");
            case TreeHashing.InternalTag when a == Hash32.Zero && b == Hash32.Zero:
                throw new InvalidDataException($"internal state tree node {expectedHash} has two empty children");
            case TreeHashing.InternalTag:
                return new DecodedNode(IsLeaf: false, a, b, bytes);
            default:
                throw new InvalidDataException($"state tree node {expectedHash} has unknown tag {bytes[0]}");
        }
    }

    /// <summary>The value held by a decoded leaf, checked against its value hash.</summary>
    public static byte[] ValueOf(DecodedNode leaf, Hash32 leafHash)
    {
        var value = leaf.Bytes.AsSpan(TreeHashing.PreimageBytes);
        if (TreeHashing.Sha256(value) != leaf.ValueHash)
        {
            if (value.IsEmpty)
            {
                // Band pages keep a leaf's hash preimage only; the value lives once, in the node's state collection.
                throw new InvalidOperationException($"state tree leaf {leafHash} is stored without its value: read values from the state, and prove them with the tree");
            }
            throw new InvalidDataException($"value in state tree leaf {leafHash} does not match its value hash");
        }
        return value.ToArray();
    }
}
