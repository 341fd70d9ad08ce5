namespace Ledger.Contracts.State;

/// <summary>A whole state held in memory: for tests, benchmarks and the genesis.</summary>
public sealed class InMemoryState : IStateReader
{
    private readonly SortedDictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    public byte[]? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Apply(IEnumerable<KeyValuePair<string, byte[]?>> changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                _values.Remove(key);
            }
            else
            {
                _values[key] = value;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Entries => _values.ToArray();
}
