namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>What the network adversary does to one message on one link (before GST only).</summary>
internal enum NetworkLink
{
    /// <summary>The seed's loss, duplication and partitions apply.</summary>
    Normal,

    /// <summary>Delivered (after a random delay): the attack needs this message to land.</summary>
    Reliable,

    /// <summary>Dropped: the node at either end is isolated.</summary>
    Cut,
}
