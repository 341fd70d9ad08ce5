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
    /// equal where it matters) or <paramref name="source"/>'s quota is spent. The caller has checked the copy.
    /// </summary>
    public bool TryAdd(Hash32 id, Block block, int source)
    {
        if (_blocks.ContainsKey(id))
        {
            return false;
        }
        var bytes = (long)block.CalculateSize();
        var (count, held) = _charged.GetValueOrDefault(source);
        if (source != Self && (count >= BlocksPerSourceMax || held + bytes > BytesPerSourceMax))
        {
            return false;
        }
        _blocks[id] = new Entry(block, source, bytes);
        _charged[source] = (count + 1, held + bytes);
        return true;
    }

    /// <summary>Drops the blocks of heights up to <paramref name="height"/>, once it is committed.</summary>
    public void DropUpTo(ulong height)
    {
        foreach (var (id, entry) in _blocks)
        {
            if (entry.Block.Header.Height <= height && _blocks.TryRemove(id, out _))
            {
                var (count, held) = _charged[entry.Source];
                _charged[entry.Source] = (count - 1, held - entry.Bytes);
            }
        }
    }

    private sealed record Entry(Block Block, int Source, long Bytes);
}
