using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// ⟨PROPOSAL, height, round, v, vr⟩ signed by proposer(height, round). The value is the block id; the block
/// itself travels beside it and is the host's business. ValidRound is -1 for a fresh value.
/// </summary>
public sealed record SignedProposal(ulong Height, int Round, Hash32 Value, int ValidRound, int ProposerIndex, byte[] Signature)
    : ConsensusMessage(Height, Round);
