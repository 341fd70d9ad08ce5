namespace Ledger.Node.Consensus;

/// <summary>
/// Two different messages signed by one validator for the same (height, round, type): proof of misbehaviour
/// that anyone can check with the validator's key, shown to the auditor.
/// </summary>
public sealed record EquivocationEvidence(ConsensusMessage First, ConsensusMessage Second);
