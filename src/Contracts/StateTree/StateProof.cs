using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// The path from a state root down to where a key's path ends (docs/PROTOCOL.md, "State tree and state proofs",
/// "Proofs"). It proves the key's value when it ends at the key's own leaf, and the key's absence when it
/// ends at an empty subtree or at another key's leaf. The value is not part of the proof: the verifier
/// is given the value it expects and checks it.
/// </summary>
/// <param name="Siblings">Sibling hashes from the root down, one per level walked; <see cref="Hash32.Zero"/> for empty ones.</param>
/// <param name="Leaf">The leaf where the path ends, or null when it ends in an empty subtree.</param>
public sealed record StateProof(IReadOnlyList<Hash32> Siblings, StateProofLeaf? Leaf)
{
    /// <summary>
    /// True only if the proof shows that under <paramref name="root"/> the key holds exactly
    /// <paramref name="expectedValue"/>, or is absent when <paramref name="expectedValue"/> is null.
    /// </summary>
    public static bool Verify(Hash32 root, ReadOnlySpan<byte> key, byte[]? expectedValue, StateProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var siblings = proof.Siblings;
        var depth = siblings.Count;
        if (depth > TreeHashing.PathBits)
        {
            return false;
        }
        var path = TreeHashing.PathOf(key);
        Hash32 node;
        if (expectedValue is not null)
        {
            if (proof.Leaf is not { } leaf || leaf.Path != path || leaf.ValueHash != TreeHashing.Sha256(expectedValue))
            {
                return false;
            }
            node = TreeHashing.Leaf(leaf.Path, leaf.ValueHash);
        }
        else if (proof.Leaf is { } other)
        {
            // Another key's leaf proves absence only if it sits where the key's path leads.
            if (other.Path == path || !TreeHashing.SharePrefix(other.Path.Span, path.Span, depth))
            {
                return false;
            }
            node = TreeHashing.Leaf(other.Path, other.ValueHash);
        }
        else
        {
            node = Hash32.Zero;
        }
        if (depth > 0 && siblings[depth - 1] == Hash32.Zero)
        {
            // Beside an empty sibling a leaf would have been pulled up and an empty subtree merged away:
            // no tree built by the rules has this shape.
            return false;
        }
        for (var i = depth - 1; i >= 0; i--)
        {
            node = TreeHashing.Bit(path.Span, i) == 0
                ? TreeHashing.Internal(node, siblings[i])
                : TreeHashing.Internal(siblings[i], node);
        }
        return node == root;
    }

    /// <summary>Verifies a proof as received on the wire; a malformed proof does not verify.</summary>
    public static bool Verify(Hash32 root, ReadOnlySpan<byte> key, byte[]? expectedValue, Wire.StateProof proof) =>
        TryFromWire(proof, out var decoded) && Verify(root, key, expectedValue, decoded);

    public Wire.StateProof ToWire()
    {
        var wire = new Wire.StateProof { Depth = (uint)Siblings.Count };
        var bitmap = new byte[(Siblings.Count + 7) / 8];
        for (var i = 0; i < Siblings.Count; i++)
        {
            if (Siblings[i] != Hash32.Zero)
            {
                bitmap[i >> 3] |= (byte)(0x80 >> (i & 7));
                wire.Siblings.Add(ByteString.CopyFrom(Siblings[i].Span));
            }
        }
        wire.SiblingBitmap = ByteString.CopyFrom(bitmap);
        if (Leaf is { } leaf)
        {
            wire.Leaf = new Wire.StateProofLeaf
            {
                Path = ByteString.CopyFrom(leaf.Path.Span),
                ValueHash = ByteString.CopyFrom(leaf.ValueHash.Span),
            };
        }
        return wire;
    }

    /// <summary>
    /// Reads a proof from the wire, accepting only the one canonical encoding of each proof
    /// (exact bitmap length, no stray bits, no empty hash sent as a sibling).
    /// </summary>
    public static bool TryFromWire(Wire.StateProof? wire, [NotNullWhen(true)] out StateProof? proof)
    {
        proof = null;
        if (wire is null || wire.Depth > TreeHashing.PathBits)
        {
            return false;
        }
        var depth = (int)wire.Depth;
        var bitmap = wire.SiblingBitmap.Span;
        if (bitmap.Length != (depth + 7) / 8)
        {
            return false;
        }
        var siblings = new Hash32[depth];
        var next = 0;
        for (var i = 0; i < bitmap.Length * 8; i++)
        {
            if (TreeHashing.Bit(bitmap, i) == 0)
            {
                if (i < depth)
                {
                    siblings[i] = Hash32.Zero;
                }
                continue;
            }
            if (i >= depth || next >= wire.Siblings.Count || wire.Siblings[next].Length != Hash32.Size)
            {
                return false;
            }
            siblings[i] = new Hash32(wire.Siblings[next++].Span);
            if (siblings[i] == Hash32.Zero)
            {
                return false;
            }
        }
        if (next != wire.Siblings.Count)
        {
            return false;
        }
        StateProofLeaf? leaf = null;
        if (wire.Leaf is { } wireLeaf)
        {
            if (wireLeaf.Path.Length != Hash32.Size || wireLeaf.ValueHash.Length != Hash32.Size)
            {
                return false;
            }
            leaf = new StateProofLeaf(new Hash32(wireLeaf.Path.Span), new Hash32(wireLeaf.ValueHash.Span));
        }
        proof = new StateProof(siblings, leaf);
        return true;
    }

    /// <exception cref="FormatException">The message is not a well-formed proof.</exception>
    public static StateProof FromWire(Wire.StateProof wire) =>
        TryFromWire(wire, out var proof) ? proof : throw new FormatException("the state proof message is malformed");

    public bool Equals(StateProof? other) =>
        other is not null && Leaf == other.Leaf && Siblings.SequenceEqual(other.Siblings);

    public override int GetHashCode() => HashCode.Combine(Siblings.Count, Leaf);
}
