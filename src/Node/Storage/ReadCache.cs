using System.Collections.Concurrent;

namespace Ledger.Node.Storage;

/// <summary>
/// A bounded read cache in two generations: entries live in the young one; when it fills, the old one
/// is dropped and the young one becomes old. A hit in the old generation moves the entry back to the
/// young one, so what every block touches (the upper tree, the organisations) stays. Thread-safe;
/// bounded to about twice the generation size.
/// </summary>
public sealed class ReadCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _generationMax;
    private readonly object _swap = new();
    private ConcurrentDictionary<TKey, TValue> _young = new();
    private ConcurrentDictionary<TKey, TValue> _old = new();

    public ReadCache(int generationMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generationMax);
        _generationMax = generationMax;
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
            SwapWhenFull();
        }
    }

    public void Set(TKey key, TValue value)
    {
        _young[key] = value;
        SwapWhenFull();
    }

    private void SwapWhenFull()
    {
        if (_young.Count > _generationMax)
        {
            lock (_swap)
            {
                if (_young.Count > _generationMax)
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<TKey, TValue>();
                }
            }
        }
    }
}
