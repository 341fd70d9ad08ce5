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
    private readonly Lock _gate = new();
    // Several calls may wait for one transaction (a client's retry, or two clients): they share the entry,
    // which counts them, so one giving up does not leave the others unanswered.
    private readonly Dictionary<Hash32, (TaskCompletionSource<ulong> Done, int Waiting)> _waiters = [];
    private readonly ConcurrentDictionary<Channel<ulong>, byte> _subscribers = new();

    /// <summary>
    /// Completes with the height once the transaction is committed. Register before checking storage, so no
    /// commit slips between; pass the task to <see cref="Forget"/> once done with it.
    /// </summary>
    public Task<ulong> WhenCommitted(Hash32 txId)
    {
        lock (_gate)
        {
            if (!_waiters.TryGetValue(txId, out var entry))
            {
                entry = (new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously), 0);
            }
            _waiters[txId] = (entry.Done, entry.Waiting + 1);
            return entry.Done.Task;
        }
    }

    /// <summary>One caller stops waiting for a transaction; the entry goes when the last of its callers does.</summary>
    public void Forget(Hash32 txId, Task<ulong> waiting)
    {
        lock (_gate)
        {
            // After a commit the entry is gone, or belongs to newer callers: leave it alone.
            if (_waiters.TryGetValue(txId, out var entry) && entry.Done.Task == waiting)
            {
                if (entry.Waiting <= 1)
                {
                    _waiters.Remove(txId);
                }
                else
                {
                    _waiters[txId] = (entry.Done, entry.Waiting - 1);
                }
            }
        }
    }

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
        var done = new List<TaskCompletionSource<ulong>>();
        lock (_gate)
        {
            foreach (var id in txIds)
            {
                if (_waiters.Remove(id, out var entry))
                {
                    done.Add(entry.Done);
                }
            }
        }
        foreach (var waiter in done)
        {
            waiter.TrySetResult(height);
        }
        foreach (var channel in _subscribers.Keys)
        {
            channel.Writer.TryWrite(height);
        }
    }
}
