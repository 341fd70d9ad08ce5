using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Node.Network;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>The host's edges in a running node: the system clock, timer tasks, the gRPC peer links and <see cref="BlockSync"/>.</summary>
public sealed class LiveHostEdges : IHostEdges
{
    private readonly NodeServices _node;
    private readonly Action<HostEvent> _post;
    private readonly BlockSync _sync;
    private Task _syncing = Task.CompletedTask;

    public LiveHostEdges(NodeServices node, Action<HostEvent> post, Func<CommitCertificate, bool> certificateIsValid, ILogger log)
    {
        _node = node;
        _post = post;
        _sync = new BlockSync(node.Network.Links, node.Config.ChainId, certificateIsValid, log);
    }

    public long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void After(long delayMs, HostEvent e) =>
        _ = Task.Delay(TimeSpan.FromMilliseconds(delayMs)).ContinueWith(_ => _post(e), TaskScheduler.Default);

    public void Broadcast(PeerEnvelope envelope) => _node.Network.Broadcast(envelope);

    public void SendTo(int validatorIndex, PeerEnvelope envelope) => _node.Network.SendTo(validatorIndex, envelope);

    public void FetchBlock(ulong height, Hash32 blockId) => _ = FetchAsync(height, blockId);

    private async Task FetchAsync(ulong height, Hash32 blockId)
    {
        if (await _node.Network.FetchProposedBlockAsync(_node.Config.ChainId, blockId, CancellationToken.None) is { } fetched)
        {
            _post(new HostEvent.BlockFetched(height, blockId, BlockCopy.Canonical(fetched.Block), fetched.From));
        }
    }

    public void StartSync(CancellationToken stopping)
    {
        if (!_syncing.IsCompleted)
        {
            return;
        }
        _syncing = Task.Run(async () =>
        {
            try
            {
                await _sync.RunAsync(() => _node.Store.Head.Height, batch =>
                {
                    var applied = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _post(new HostEvent.SyncedBlocks(batch, applied));
                    return applied.Task.WaitAsync(stopping);
                }, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The node is stopping.
            }
        }, CancellationToken.None);
    }

    public Task SyncBeforeStartAsync(Func<IReadOnlyList<StoredBlock>, bool> apply, CancellationToken ct) =>
        _sync.RunAsync(() => _node.Store.Head.Height, batch => Task.FromResult(apply(batch)), ct);
}
