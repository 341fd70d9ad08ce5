using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>What wakes the consensus loop. Everything that touches consensus state goes through it, one at a time.</summary>
public abstract record HostEvent
{
    private HostEvent()
    {
    }

    /// <summary>A consensus message from the validator <paramref name="From"/>, as its call authenticated it (not as the envelope says).</summary>
    public sealed record Inbound(PeerEnvelope Envelope, int From) : HostEvent;

    public sealed record Timeout(ulong Height, int Round, RoundStep Step) : HostEvent;

    /// <summary>Periodic: retransmit, and catch up if a peer is ahead.</summary>
    public sealed record Tick : HostEvent;

    /// <summary>A moment after this node was seen behind: sync if decisions have not closed the gap.</summary>
    public sealed record CatchUpCheck : HostEvent;

    /// <summary>A faithful copy of a block the driver asked for, served by the validator <paramref name="From"/>.</summary>
    public sealed record BlockFetched(ulong Height, Hash32 BlockId, Block Block, int From) : HostEvent;

    /// <summary>Certified blocks past the head from block sync, to check and apply; <paramref name="Applied"/> says whether the head moved.</summary>
    public sealed record SyncedBlocks(IReadOnlyList<StoredBlock> Blocks, TaskCompletionSource<bool> Applied) : HostEvent;

    /// <summary>The pause after a decision is over (or a transaction arrived): start the next height.</summary>
    public sealed record StartNextHeight(ulong Height) : HostEvent;
}
