using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>The hash functions of the state tree, defined once for the tree, its store and the proof verifier.</summary>
internal static class TreeHashing
{
    public const byte LeafTag = 0x00;
    public const byte InternalTag = 0x01;
    public const int PathBits = 256;

    /// <summary>Bytes hashed for a node: a tag and two 32-byte hashes.</summary>
    public const int PreimageBytes = 1 + Hash32.Size + Hash32.Size;

    public static Hash32 PathOf(ReadOnlySpan<byte> key) => Sha256(key);

    public static Hash32 Sha256(ReadOnlySpan<byte> data) => Hash32.Sha256(data);

    public static Hash32 Leaf(Hash32 path, Hash32 valueHash) => Node(LeafTag, path, valueHash);

    public static Hash32 Internal(Hash32 left, Hash32 right) => Node(InternalTag, left, right);

    /// <summary>Bit <paramref name="index"/> of a path, most significant bit of byte 0 first: 0 goes left.</summary>
    public static int Bit(ReadOnlySpan<byte> path, int index) => (path[index >> 3] >> (7 - (index & 7))) & 1;

    public static bool SharePrefix(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bits)
    {
        var whole = bits >> 3;
        if (!a[..whole].SequenceEqual(b[..whole]))
        {
            return false;
        }
        var rest = bits & 7;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (a[whole] & mask) == (b[whole] & mask);
    }

    private static Hash32 Node(byte tag, Hash32 a, Hash32 b)
    {
        Span<byte> preimage = stackalloc byte[PreimageBytes];
        preimage[0] = tag;
        a.Span.CopyTo(preimage[1..]);
        b.Span.CopyTo(preimage[(1 + Hash32.Size)..]);
        return Sha256(preimage);
    }
}
