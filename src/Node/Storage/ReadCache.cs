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
            Set(key, value);
            return true;
        }
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        _young[key] = value;
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
