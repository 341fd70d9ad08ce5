namespace Ledger.Node.Storage;

/// <summary>
/// A write found no space on the data folder's disk. Nothing of it was committed; the node stops consensus, reports
/// NOT_SERVING, refuses submissions, keeps answering reads, and reopens its storage once space is back
/// (docs/OPERATIONS.md, "A full disk").
/// </summary>
public sealed class DiskFullException : StorageException
{
    public DiskFullException(string folder, Exception inner)
        : base($"the disk holding {folder} is full ({inner.Message.TrimEnd('.')}): nothing more is committed until space is freed", inner)
    {
    }
}
