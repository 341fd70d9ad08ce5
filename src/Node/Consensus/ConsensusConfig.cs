namespace Ledger.Node.Consensus;

/// <summary>
/// Settings of one driver. Every queue has a limit (TigerBeetle style): a Byzantine peer can fill a buffer,
/// never memory.
/// </summary>
public sealed record ConsensusConfig(string ChainId, TimeoutConfig Timeouts)
{
    /// <summary>Messages of height h+1 kept until this node reaches h+1, an equal share of them per peer that relayed them.</summary>
    public int NextHeightBufferMax { get; init; } = 1024;

    /// <summary>Messages of rounds further ahead than this are dropped (and counted): L55 only needs one higher round at a time.</summary>
    public int RoundsAheadMax { get; init; } = 64;

    /// <summary>Own messages of the current height re-sent on each rebroadcast tick, newest first.</summary>
    public int RetransmitMessagesMax { get; init; } = 24;

    /// <summary>Certificate offers to lagging peers between two ticks.</summary>
    public int OffersPerTickMax { get; init; } = 64;

    /// <summary>Block ids asked for and not yet received.</summary>
    public int MissingBlocksMax { get; init; } = 16;
}
