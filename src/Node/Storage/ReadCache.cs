using System.Collections.Concurrent;

namespace Ledger.Node.Storage;

/// <summary>
/// A bounded read cache in two generations: entries live in the young one; when it fills, the old one
/// is dropped and the young one becomes old. A hit in the old generation moves the entry back to the
/// young one, so what every block touches (the upper tree, the organisations) stays. Thread-safe;
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
    // Summed cost of what entered the young generation (a replaced entry counts twice: it only swaps sooner).
    private long _youngCost;

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

    private void Added(TValue value)
    {
        if (_costOf is not null)
        {
            Interlocked.Add(ref _youngCost, _costOf(value));
        }
        if (IsYoungFull())
        {
            lock (_swap)
            {
                if (IsYoungFull())
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<TKey, TValue>();
                    Interlocked.Exchange(ref _youngCost, 0);
                }
            }
        }
    }

    private bool IsYoungFull() => _costOf is null ? _young.Count > _generationMax : Interlocked.Read(ref _youngCost) > _generationMax;
}
