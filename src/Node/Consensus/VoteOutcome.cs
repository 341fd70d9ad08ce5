namespace Ledger.Node.Consensus;

/// <summary>What the vote keeper did with a message.</summary>
public enum VoteOutcome
{
    /// <summary>First message of its signer for this (round, type): counted.</summary>
    Added = 1,
    /// <summary>Same content as the one already held: ignored (retransmissions, replays).</summary>
    Duplicate = 2,
    /// <summary>Different content from the one already held: not counted, kept as evidence.</summary>
    Equivocation = 3,
}
