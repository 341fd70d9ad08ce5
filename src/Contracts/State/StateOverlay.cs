namespace Ledger.Contracts.State;

/// <summary>
/// Writes kept apart from the state they change, so that a transaction that fails changes nothing
/// and a block's changes reach storage as one sorted batch.
/// </summary>
public sealed class StateOverlay : IStateReader
{
    private readonly IStateReader _below;
    // Sorted so that the change list, and everything computed from it, has one order on every node.
    private readonly SortedDictionary<string, byte[]?> _writes = new(StringComparer.Ordinal);

    public StateOverlay(IStateReader below) => _below = below;

    public byte[]? Get(string key) => _writes.TryGetValue(key, out var value) ? value : _below.Get(key);

    public void Set(string key, byte[] value) => _writes[key] = value;

    public void Delete(string key) => _writes[key] = null;

    /// <summary>The writes in ordinal key order; a null value deletes the key.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]?>> Changes => _writes.ToArray();

    /// <summary>Moves these writes into the overlay below (a transaction's into its block's).</summary>
    public void CommitInto(StateOverlay parent)
    {
        foreach (var (key, value) in _writes)
        {
            parent._writes[key] = value;
        }
        _writes.Clear();
    }
}
