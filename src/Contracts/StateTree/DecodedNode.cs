using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// A node read back from a store. For a leaf, <see cref="A"/> is the path and <see cref="B"/> the value hash;
/// for an internal node they are the left and right child hashes.
/// </summary>
internal readonly record struct DecodedNode(bool IsLeaf, Hash32 A, Hash32 B, byte[] Bytes)
{
    public Hash32 Path => A;
    public Hash32 ValueHash => B;
    public Hash32 Left => A;
    public Hash32 Right => B;
}
