using System.Collections.Concurrent;
using System.Threading.Channels;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Hosting;

/// <summary>
/// Tells whoever waits that blocks were committed: a client waiting for its transaction, a stream of
/// blocks. The consensus loop publishes; gRPC handlers wait.
/// </summary>
public sealed class CommitFeed
{
    private readonly ConcurrentDictionary<Hash32, TaskCompletionSource<ulong>> _waiters = new();
    private readonly ConcurrentDictionary<Channel<ulong>, byte> _subscribers = new();

    /// <summary>Completes with the height once the transaction is committed. Register before checking storage, so no commit slips between.</summary>
    public Task<ulong> WhenCommitted(Hash32 txId) =>
        _waiters.GetOrAdd(txId, _ => new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stops waiting for a transaction (the caller gave up).</summary>
    public void Forget(Hash32 txId) => _waiters.TryRemove(txId, out _);

    /// <summary>A channel that receives each new committed height; dispose by <see cref="Unsubscribe"/>.</summary>
    public ChannelReader<ulong> Subscribe()
    {
        // A slow reader loses intermediate heights, not the latest: it reads the store from where it is.
        var channel = Channel.CreateBounded<ulong>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[channel] = 0;
        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<ulong> reader)
    {
        foreach (var channel in _subscribers.Keys.Where(c => c.Reader == reader))
        {
            _subscribers.TryRemove(channel, out _);
        }
    }

    public void Publish(ulong height, IEnumerable<Hash32> txIds)
    {
        foreach (var id in txIds)
        {
            if (_waiters.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult(height);
            }
        }
        foreach (var channel in _subscribers.Keys)
        {
            channel.Writer.TryWrite(height);
        }
    }
}
