using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// What must survive a crash so that a restarted validator neither forgets its lock nor signs twice
/// (CONSENSUS-NOTES, "Durability"). LastSigned is the last proposal or vote this validator signed, with its
/// signature, so that a restart re-sends that very message instead of signing another. The host also keeps
/// the blocks named by LockedValue and ValidValue durable (BlockStore.HoldBlock), since this node may have
/// to re-propose them after a restart.
/// </summary>
public sealed record WriteAheadRecord(
    ulong Height,
    int Round,
    RoundStep Step,
    Hash32? LockedValue,
    int LockedRound,
    Hash32? ValidValue,
    int ValidRound,
    IReadOnlyList<SignedVote> ValidPolka,
    IReadOnlyList<ConsensusMessage> SignedThisHeight,
    ConsensusMessage? LastSigned);
