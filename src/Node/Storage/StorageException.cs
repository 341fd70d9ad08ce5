namespace Ledger.Node.Storage;

/// <summary>
/// The store cannot go on: a broken or foreign database, or a write that would break the chain's
/// invariants. Never a user's error: those are refused before they reach storage.
/// </summary>
public class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
