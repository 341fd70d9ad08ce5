using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>What wakes the consensus loop. Everything that touches consensus state goes through it, one at a time.</summary>
public abstract record HostEvent
{
    private HostEvent()
    {
    }

    /// <summary>A consensus message from a peer.</summary>
    public sealed record Inbound(PeerEnvelope Envelope) : HostEvent;

    public sealed record Timeout(ulong Height, int Round, RoundStep Step) : HostEvent;

    /// <summary>Periodic: retransmit, and catch up if a peer is ahead.</summary>
    public sealed record Tick : HostEvent;

    /// <summary>A moment after a validator was seen past this node's height: sync if decisions have not closed the gap.</summary>
    public sealed record CatchUpCheck : HostEvent;

    /// <summary>A block fetched from a peer after the driver asked for it.</summary>
    public sealed record BlockFetched(ulong Height, Block Block) : HostEvent;

    /// <summary>The pause after a decision is over (or a transaction arrived): start the next height.</summary>
    public sealed record StartNextHeight(ulong Height) : HostEvent;
}
