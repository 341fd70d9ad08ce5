namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>Where the lockers of a <see cref="LockSplitAttack"/> crash, to test that the lock survives a restart.</summary>
internal enum LockSplitCrash
{
    None,

    /// <summary>Right after the write-ahead record that holds the new lock.</summary>
    AfterLock,

    /// <summary>Right after the precommit for the locked value left the node (whatever was persisted before it).</summary>
    AfterPrecommit,
}
