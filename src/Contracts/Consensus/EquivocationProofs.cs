using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>
/// Proofs that a validator signed two different votes for one (height, round, type), as blocks carry them
/// (PROTOCOL.md, "Evidence"): their rules, their one canonical form, their items in a header's evidence_root and
/// their state key. Stateless but for the key: whether a proof was committed before is the state's to say.
/// </summary>
public static class EquivocationProofs
{
    /// <summary>Proofs one block may carry.</summary>
    public const int PerBlockMax = 16;

    /// <summary>How many heights back a proof may reach: old enough faults are past acting on, and a bound keeps replay cheap.</summary>
    public const ulong AgeHeightsMax = 100_000;

    /// <summary>The proof of two conflicting votes, in canonical order; null when they do not conflict.</summary>
    public static EquivocationProof? Of(VoteMessage a, VoteMessage b)
    {
        var order = ValueBytes(a).AsSpan().SequenceCompareTo(ValueBytes(b));
        return order == 0 ? null : order < 0 ? new EquivocationProof { First = a, Second = b } : new EquivocationProof { First = b, Second = a };
    }

    /// <summary>Null when <paramref name="proof"/> may be carried by a block at <paramref name="blockHeight"/>; otherwise which rule it breaks.</summary>
    public static string? Mismatch(string chainId, ConsensusValidatorSet validators, IConsensusVerifier keys, ulong blockHeight, EquivocationProof proof)
    {
        if (proof.First is not { } a || proof.Second is not { } b)
        {
            return "an equivocation proof needs two votes";
        }
        if (a.ValidatorIndex != b.ValidatorIndex || a.Type != b.Type || a.Height != b.Height || a.Round != b.Round)
        {
            return "the two votes are not of one validator, type, height and round";
        }
        if (a.Type is not (VoteType.Prevote or VoteType.Precommit) || a.Round > int.MaxValue || !validators.Contains((int)Math.Min(a.ValidatorIndex, int.MaxValue)))
        {
            return $"validator {a.ValidatorIndex}, type {a.Type} or round {a.Round} is out of range";
        }
        if (a.Height < 1 || a.Height > blockHeight || blockHeight - a.Height > AgeHeightsMax)
        {
            return $"height {a.Height} is not within the {AgeHeightsMax} heights up to {blockHeight}";
        }
        if (!IsValueField(a.BlockId) || !IsValueField(b.BlockId))
        {
            return "a vote's block_id is neither empty (nil) nor 32 bytes other than 32 zero bytes";
        }
        if (ValueBytes(a).AsSpan().SequenceCompareTo(ValueBytes(b)) >= 0)
        {
            return "the votes are for the same value, or not in canonical order (first value sorts first)";
        }
        foreach (var vote in new[] { a, b })
        {
            var signBytes = ConsensusSignBytes.ForVote(chainId, vote.Type, vote.Height, (int)vote.Round, ValueOf(vote));
            if (!keys.Verify((int)vote.ValidatorIndex, signBytes, vote.Signature.ToByteArray()))
            {
                return $"a vote's signature does not verify with validator {vote.ValidatorIndex}'s key";
            }
        }
        return null;
    }

    /// <summary>Where the state keeps a committed proof: one per validator, height, round and type, so a fault is counted once.</summary>
    public static string StateKey(EquivocationProof proof) => StateKeys.Evidence(
        proof.First.ValidatorIndex, proof.First.Height, proof.First.Round, proof.First.Type == VoteType.Prevote ? "prevote" : "precommit");

    /// <summary>The Merkle root a header carries over a block's proofs.</summary>
    public static Hash32 Root(IReadOnlyList<EquivocationProof> proofs) => MerkleList.Root(proofs.Select(Item).ToArray());

    /// <summary>
    /// A proof's item in evidence_root: u32(validator) || u8(type) || u64(height) || u32(round), then for each vote in
    /// order hash(value) || bytes(signature).
    /// </summary>
    public static byte[] Item(EquivocationProof proof)
    {
        var a = proof.First ?? new VoteMessage();
        var b = proof.Second ?? new VoteMessage();
        return new CanonicalWriter()
            .U32(a.ValidatorIndex).U8((byte)a.Type).U64(a.Height).U32(a.Round)
            .Hash(ValueBytes(a)).Bytes(a.Signature.Span)
            .Hash(ValueBytes(b)).Bytes(b.Signature.Span)
            .ToArray();
    }

    // 32 zero bytes would be a second encoding of nil, which the item and the state key could not tell apart.
    private static bool IsValueField(ByteString blockId) => blockId.IsEmpty || (blockId.Length == Hash32.Size && blockId.Span.IndexOfAnyExcept((byte)0) >= 0);

    /// <summary>The proof with nothing but its defined fields: what a block keeps and the state stores.</summary>
    public static EquivocationProof Canonical(EquivocationProof proof) => new()
    {
        First = proof.First is { } a ? Canonical(a) : null,
        Second = proof.Second is { } b ? Canonical(b) : null,
    };

    private static VoteMessage Canonical(VoteMessage v) => new()
    {
        Type = v.Type,
        Height = v.Height,
        Round = v.Round,
        BlockId = v.BlockId,
        ValidatorIndex = v.ValidatorIndex,
        Signature = v.Signature,
    };

    private static Hash32? ValueOf(VoteMessage vote) => vote.BlockId.IsEmpty ? null : new Hash32(vote.BlockId.Span);

    /// <summary>The value as 32 bytes, nil as 32 zero bytes, as the sign bytes have it.</summary>
    private static byte[] ValueBytes(VoteMessage vote) => vote.BlockId.Length == Hash32.Size ? vote.BlockId.ToByteArray() : new byte[Hash32.Size];

}
