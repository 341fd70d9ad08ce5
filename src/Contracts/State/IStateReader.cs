namespace Ledger.Contracts.State;

/// <summary>Read access to the ledger's key-value state at one point in its history.</summary>
public interface IStateReader
{
    /// <summary>The value of a key, or null when absent.</summary>
    byte[]? Get(string key);
}
