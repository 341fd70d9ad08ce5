using Grpc.Core;
using Ledger.Client;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Network;

/// <summary>
/// The links to every other validator: broadcast, send to one, gossip transactions in batches, and
/// ask peers for blocks.
/// </summary>
public sealed class PeerNetwork : IAsyncDisposable
{
    public const int GossipBatchMax = 500;

    /// <summary>
    /// How often the transactions gathered since the last batch go out. 50 ms rather than 10: at 500 submissions a
    /// second a node sent 100 batches of ~5 a second to each peer, and the per-message cost of HTTP/2 frames, socket
    /// calls and thread-pool hops was ~5% of the CPU a transaction; finality at 1,000 tx/s did not get slower
    /// (docs/history/PERFORMANCE-HISTORY.md, "Tenth session").
    /// </summary>
    public static readonly TimeSpan GossipInterval = TimeSpan.FromMilliseconds(50);
    private readonly PeerLink[] _links;
    private int _self;
    private CallSigner? _identity;
    private readonly object _gossipGate = new();
    private TxBatch _gossip = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _gossipPump;

    public PeerNetwork(int self, IEnumerable<(int ValidatorIndex, string Endpoint)> peers, CallSigner? identity, string? caPemFile, ILogger log)
    {
        _self = self;
        _identity = identity;
        _links = peers.Select(p => new PeerLink(p.ValidatorIndex, p.Endpoint, () => Volatile.Read(ref _identity), caPemFile, log)).ToArray();
        _gossipPump = Task.Run(() => GossipAsync(_stop.Token));
    }

    public IReadOnlyList<PeerLink> Links => _links;

    /// <summary>
    /// From now on this node speaks as validator <paramref name="self"/>: a replica whose key governance just made a validator.
    /// Open streams close, so every peer hears it under its new identity.
    /// </summary>
    public void BecomeValidator(int self, CallSigner identity)
    {
        Volatile.Write(ref _self, self);
        Volatile.Write(ref _identity, identity);
        foreach (var link in _links)
        {
            link.Reopen();
        }
    }

    public void Broadcast(PeerEnvelope envelope)
    {
        foreach (var link in _links)
        {
            link.Send(envelope);
        }
    }

    public void SendTo(int validatorIndex, PeerEnvelope envelope)
    {
        foreach (var link in _links.Where(l => l.ValidatorIndex == validatorIndex))
        {
            link.Send(envelope);
        }
    }

    /// <summary>Queues a transaction for the next gossip batch to every peer.</summary>
    public void Gossip(TxEnvelope transaction)
    {
        TxBatch? full = null;
        lock (_gossipGate)
        {
            _gossip.Transactions.Add(transaction);
            if (_gossip.Transactions.Count >= GossipBatchMax)
            {
                (full, _gossip) = (_gossip, new TxBatch());
            }
        }
        if (full is not null)
        {
            Broadcast(new PeerEnvelope { FromValidator = (uint)Math.Max(Volatile.Read(ref _self), 0), Transactions = full });
        }
    }

    /// <summary>Asks each peer in turn for a proposed block; returns the first faithful copy of the id (<see cref="BlockCopy"/>) and who served it.</summary>
    public async Task<(Block Block, int From)?> FetchProposedBlockAsync(string chainId, Hash32 blockId, CancellationToken ct)
    {
        foreach (var link in _links)
        {
            try
            {
                var block = await link.Client.GetProposedBlockAsync(
                    new GetProposedBlockRequest { BlockId = Google.Protobuf.ByteString.CopyFrom(blockId.Span) },
                    deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                if (BlockCopy.Mismatch(chainId, block, blockId) is null)
                {
                    return (block, link.ValidatorIndex);
                }
            }
            catch (RpcException)
            {
                // That peer does not have it or is down: ask the next.
            }
        }
        return null;
    }

    private async Task GossipAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(GossipInterval);
        while (await timer.WaitForNextTickAsync(ct).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            TxBatch? batch = null;
            lock (_gossipGate)
            {
                if (_gossip.Transactions.Count > 0)
                {
                    (batch, _gossip) = (_gossip, new TxBatch());
                }
            }
            if (batch is not null)
            {
                Broadcast(new PeerEnvelope { FromValidator = (uint)Math.Max(Volatile.Read(ref _self), 0), Transactions = batch });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _gossipPump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }
        _stop.Dispose();
    }
}
