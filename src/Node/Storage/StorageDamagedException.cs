namespace Ledger.Node.Storage;

/// <summary>
/// The data folder's database is damaged: the node will not serve from it, nor start on it again, until a person moves
/// the damaged files aside (docs/OPERATIONS.md, "A damaged database"). The message is the one line the node prints.
/// </summary>
public sealed class StorageDamagedException : StorageException
{
    public StorageDamagedException(string folder, string reason, Exception? inner = null)
        : base(Describe(folder, reason), inner ?? new InvalidDataException(reason))
    {
        Folder = folder;
        Reason = reason;
    }

    public string Folder { get; }

    /// <summary>What was found, without the instructions.</summary>
    public string Reason { get; }

    private static string Describe(string folder, string reason) =>
        $"the database in {folder} is damaged ({reason}); the node will not serve from it. Move {NodeDatabase.FileName}, " +
        $"{NodeDatabase.LogFileName} and {DamageMarker.FileName} into a folder of their own and start the node: it fetches and checks " +
        "the chain from its peers (a validator: only once the network has committed past the height it stopped at; OPERATIONS.md, \"A damaged database\")";
}
