namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>What the coalition does at one height, chosen by the seed when the first honest node enters it.</summary>
internal enum HeightAttack
{
    /// <summary>Each member on its own: equivocation, invalid blocks, replays (<see cref="ByzantineValidator"/>).</summary>
    Chaos,

    /// <summary><see cref="LockSplitAttack"/>.</summary>
    LockSplit,

    /// <summary>A good block whose copies handed to some honest nodes are tampered (same id, other bytes).</summary>
    TamperedCopies,
}
