namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>What the Byzantine validators do at one height (chosen by the seed, the same for every member of the coalition).</summary>
internal enum HostAttack
{
    /// <summary>They follow the protocol.</summary>
    None,

    /// <summary>Their proposals reach some peers with a transaction signature flipped under the good id; their precommits are withheld.</summary>
    TamperedCopies,

    /// <summary>A fresh proposal goes to half the peers as another block (a later time, so another id), also signed.</summary>
    EquivocatingProposer,

    /// <summary>Their fresh proposals carry a time ten minutes ahead, or past the last block time.</summary>
    FutureTime,

    /// <summary>Each of their votes for a block goes to half the peers as a vote for another value: evidence.</summary>
    DoubleVotes,

    /// <summary>Each of their votes comes with eight more, for values nobody proposed.</summary>
    Flood,

    /// <summary>Each of their votes comes with a signed vote 1,000 heights ahead.</summary>
    FarFutureVotes,

    /// <summary>They prevote and propose, but never send a precommit.</summary>
    WithheldPrecommits,

    /// <summary>They send nothing.</summary>
    Silent,

    /// <summary>A lock split (<see cref="LockSplit"/>): chosen only at a height whose round-0 proposer is Byzantine, before GST.</summary>
    LockSplit,
}
