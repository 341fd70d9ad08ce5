namespace Ledger.Node.Storage;

/// <summary>
/// A file beside the database that says it was found damaged, and why. Damage found while the node runs (at a read deep in
/// a document) would not be found again at the next open, which checks the log's pages only: without the marker a node
/// under Restart=always would start, sync a few blocks into the damaged file and fail again, for ever. With it every start
/// refuses at once, with the same line, until a person moves the files aside.
/// </summary>
public static class DamageMarker
{
    public const string FileName = "DAMAGED.txt";

    /// <summary>The reason recorded, or null when the folder holds no marker.</summary>
    public static string? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Records the reason; a folder that cannot take even this file is past saving, and the exception says so anyway.</summary>
    public static void Write(string folder, string reason)
    {
        try
        {
            var path = Path.Combine(folder, FileName);
            File.WriteAllText(path, $"{DateTimeOffset.UtcNow:O} {reason}\n");
            FileSync.File(path);
            FileSync.Folder(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException)
        {
            // The node still refuses to serve; only the next start would not know without checking again.
        }
    }
}
