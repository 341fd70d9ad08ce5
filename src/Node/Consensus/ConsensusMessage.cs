namespace Ledger.Node.Consensus;

/// <summary>A message between validators: a signed proposal, a signed vote, or a commit certificate offer.</summary>
public abstract record ConsensusMessage(ulong Height, int Round);
