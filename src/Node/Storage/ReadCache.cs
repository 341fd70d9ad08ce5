using System.Collections.Concurrent;

namespace Ledger.Node.Storage;

/// <summary>
/// A bounded read cache in two generations: entries live in the young one; when it fills, and the two
/// together hold twice a generation, the old one is dropped and the young one becomes old. A hit in the old
/// generation moves the entry back to the young one, so what every block touches (the upper tree, the
/// organisations) stays. <see cref="Remove"/> gives room back: a cache of things that are superseded (tree
/// pages replaced by a block) then holds what is current instead of swapping on every block. Thread-safe;
/// bounded to about twice the generation size, counted in entries or in the cost each entry is given.
/// </summary>
public sealed class ReadCache<TKey, TValue>
    where TKey : notnull
{
    private readonly long _generationMax;
    private readonly Func<TValue, long>? _costOf;
    private readonly object _swap = new();
    private ConcurrentDictionary<TKey, TValue> _young = new();
    private ConcurrentDictionary<TKey, TValue> _old = new();
    // Summed cost of what entered each generation (a replaced entry counts twice: it only swaps sooner).
    private long _youngCost;
    private long _oldCost;

    /// <summary>A cache of at most about <paramref name="generationMax"/> entries per generation.</summary>
    public ReadCache(int generationMax)
        : this(generationMax, null)
    {
    }

    /// <summary>A cache whose generation is full once the costs of its entries pass <paramref name="generationMax"/>.</summary>
    public ReadCache(long generationMax, Func<TValue, long>? costOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generationMax);
        _generationMax = generationMax;
        _costOf = costOf;
    }

    public bool TryGet(TKey key, out TValue value)
    {
        if (_young.TryGetValue(key, out value!))
        {
            return true;
        }
        if (_old.TryGetValue(key, out value!))
        {
            // Never over a newer value the writer put in the young generation meanwhile.
            TryAdd(key, value);
            return true;
        }
        return false;
    }

    /// <summary>Adds an entry read from below unless one is there already (a reader never overwrites the writer).</summary>
    public void TryAdd(TKey key, TValue value)
    {
        if (_young.TryAdd(key, value))
        {
            Added(value);
        }
    }

    public void Set(TKey key, TValue value)
    {
        _young[key] = value;
        Added(value);
    }

    /// <summary>Drops <paramref name="keys"/> from both generations, giving their cost back.</summary>
    public void Remove(IEnumerable<TKey> keys)
    {
        // Under the swap lock: a cost given back to the generation that is about to change names would be lost.
        lock (_swap)
        {
            foreach (var key in keys)
            {
                // ContainsKey first: it takes no lock, and most keys given (a block's replaced tree nodes) are not pages.
                if (_young.ContainsKey(key) && _young.TryRemove(key, out var young))
                {
                    Interlocked.Add(ref _youngCost, -CostOf(young));
                }
                if (_old.ContainsKey(key) && _old.TryRemove(key, out var old))
                {
                    Interlocked.Add(ref _oldCost, -CostOf(old));
                }
            }
        }
    }

    private long CostOf(TValue value) => _costOf?.Invoke(value) ?? 1;

    private void Added(TValue value)
    {
        Interlocked.Add(ref _youngCost, CostOf(value));
        if (IsFull())
        {
            lock (_swap)
            {
                if (IsFull())
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<TKey, TValue>();
                    Interlocked.Exchange(ref _oldCost, Interlocked.Exchange(ref _youngCost, 0));
                }
            }
        }
    }

    private bool IsFull()
    {
        var young = Interlocked.Read(ref _youngCost);
        return young > _generationMax && young + Interlocked.Read(ref _oldCost) > 2 * _generationMax;
    }
}
