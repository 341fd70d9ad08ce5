using System.Collections.Concurrent;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>
/// Blocks proposed for the height being decided and the next, by id. Each is charged to the validator that vouched for
/// it (a proposal's signer, a commit offer's or a fetch's authenticated sender), in count and in bytes, so a faulty
/// validator fills its own quota and never another's. Only a faithful copy of its id (<see cref="BlockCopy"/>) is ever
/// added, so whichever copy is kept, every node judges the same bytes. Written by the consensus loop only; read by gRPC
/// handlers too.
/// </summary>
public sealed class ProposedBlocks
{
    /// <summary>Blocks one validator may have held here at once: a round each for several rounds of two heights.</summary>
    public const int BlocksPerSourceMax = 16;

    /// <summary>Bytes one validator may have held here at once: two blocks of the largest size a copy may have.</summary>
    public const long BytesPerSourceMax = 2 * BlockCopy.BytesMax;

    /// <summary>The source of blocks this node built itself or restored from its own journal: not charged.</summary>
    public const int Self = -1;

    private readonly ConcurrentDictionary<Hash32, Entry> _blocks = new();
    private readonly Dictionary<int, (int Count, long Bytes)> _charged = [];

    public int Count => _blocks.Count;

    /// <summary>Bytes held for <paramref name="source"/>.</summary>
    public long BytesOf(int source) => _charged.GetValueOrDefault(source).Bytes;

    public Block? Find(Hash32 id) => _blocks.TryGetValue(id, out var entry) ? entry.Block : null;

    public bool Contains(Hash32 id) => _blocks.ContainsKey(id);

    /// <summary>
    /// Keeps <paramref name="block"/> under <paramref name="id"/> unless a copy is there already (all faithful copies are
    /// equal where it matters). When <paramref name="source"/>'s quota is spent, its oldest blocks that
    /// <paramref name="inUse"/> does not protect give way, so a long height of many rounds never locks a validator out;
    /// false if they cannot make room. The caller has checked the copy.
    /// </summary>
    /// <param name="evicted">Told of each block that gave way, so what was kept beside it can go too.</param>
    public bool TryAdd(Hash32 id, Block block, int source, Func<Hash32, bool>? inUse = null, Action<Hash32>? evicted = null)
    {
        if (_blocks.ContainsKey(id) || block.Header is null)
        {
            return false;
        }
        var bytes = (long)block.CalculateSize();
        if (source != Self && !MakeRoom(source, bytes, inUse ?? (_ => false), evicted))
        {
            return false;
        }
        var (count, held) = _charged.GetValueOrDefault(source);
        _blocks[id] = new Entry(block, source, bytes, _added++);
        _charged[source] = (count + 1, held + bytes);
        return true;
    }

    private bool MakeRoom(int source, long bytes, Func<Hash32, bool> inUse, Action<Hash32>? evicted)
    {
        if (bytes > BytesPerSourceMax)
        {
            return false;
        }
        while (_charged.GetValueOrDefault(source) is var (count, held) && (count >= BlocksPerSourceMax || held + bytes > BytesPerSourceMax))
        {
            var oldest = _blocks.Where(b => b.Value.Source == source && !inUse(b.Key)).OrderBy(b => b.Value.Added).Select(b => (Hash32?)b.Key).FirstOrDefault();
            if (oldest is not { } evict)
            {
                return false;
            }
            Remove(evict);
            evicted?.Invoke(evict);
        }
        return true;
    }

    private void Remove(Hash32 id)
    {
        if (_blocks.TryRemove(id, out var entry))
        {
            var (count, held) = _charged[entry.Source];
            _charged[entry.Source] = (count - 1, held - entry.Bytes);
        }
    }

    /// <summary>Drops the blocks of heights up to <paramref name="height"/>, once it is committed.</summary>
    public void DropUpTo(ulong height)
    {
        foreach (var (id, entry) in _blocks)
        {
            if (entry.Block.Header.Height <= height)
            {
                Remove(id);
            }
        }
    }

    private long _added;

    private sealed record Entry(Block Block, int Source, long Bytes, long Added);
}
