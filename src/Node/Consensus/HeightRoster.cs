using Ledger.Contracts.Consensus;

namespace Ledger.Node.Consensus;

/// <summary>The validators deciding one height: their powers by roster position, and their keys.</summary>
public sealed record HeightRoster(ConsensusValidatorSet Set, IConsensusVerifier Verifier);
