using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>
/// Everything the consensus host does that reaches outside its loop: the clock, timers, peers and block sync. The live
/// node runs them on real time and gRPC (<see cref="LiveHostEdges"/>); the host-level simulator runs the same host on
/// simulated time and a seeded transport, so every path the node takes (storage, the write-ahead record, block
/// checks) is exercised under faults a real network produces only rarely.
/// </summary>
public interface IHostEdges
{
    /// <summary>This node's clock, Unix ms: proposed block times and PBTS's timely(v).</summary>
    long NowMs { get; }

    /// <summary>Hands <paramref name="e"/> back to the loop after <paramref name="delayMs"/>.</summary>
    void After(long delayMs, HostEvent e);

    void Broadcast(PeerEnvelope envelope);

    void SendTo(int validatorIndex, PeerEnvelope envelope);

    /// <summary>Asks peers for a faithful copy of a proposed block; it comes back as <see cref="HostEvent.BlockFetched"/>.</summary>
    void FetchBlock(ulong height, Hash32 blockId);

    /// <summary>Block sync beside the loop, one at a time; batches come back as <see cref="HostEvent.SyncedBlocks"/>.</summary>
    void StartSync(CancellationToken stopping);

    /// <summary>Block sync before the loop starts, applying each batch at once; nothing else runs yet.</summary>
    Task SyncBeforeStartAsync(Func<IReadOnlyList<StoredBlock>, bool> apply, CancellationToken ct);
}
