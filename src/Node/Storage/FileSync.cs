using System.Runtime.InteropServices;

namespace Ledger.Node.Storage;

/// <summary>
/// fsync(2) on a file or folder by path. LiteDB 5.0.21 writes a committed transaction into its log
/// file with plain writes and never flushes it (docs/ARCHITECTURE.md, "Storage"), and .NET only fsyncs handles it
/// opened for writing, which LiteDB's own lock forbids us. fsync works on any descriptor of the file,
/// even a read-only one, and flushes every dirty page of it, whoever wrote them.
/// </summary>
internal static class FileSync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux

    /// <summary>Flushes the file's data and metadata to stable storage; false if the file does not exist.</summary>
    public static bool File(string path) => Sync(path, ReadOnly, mustExist: false);

    /// <summary>Flushes a folder's entries, so that a file created in it survives a power loss.</summary>
    public static void Folder(string path) => Sync(path, ReadOnly | Directory, mustExist: true);

    /// <summary>Throws when this platform cannot sync files the way <see cref="File"/> does.</summary>
    public static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            // Only Linux is checked: elsewhere the flags differ (O_DIRECTORY) or fsync is not enough (macOS F_FULLFSYNC).
            throw new PlatformNotSupportedException("the node's storage syncs its files with Linux fsync(2); run the node on Linux");
        }
    }

    private static bool Sync(string path, int flags, bool mustExist)
    {
        var fd = Open(path, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2 && !mustExist)
            {
                return false;
            }
            throw new StorageException($"cannot open {path} to sync it: errno {errno}");
        }
        try
        {
            if (FSync(fd) != 0)
            {
                // A failed fsync may have dropped the dirty pages: the write is not durable and must not be acknowledged.
                throw new StorageException($"fsync of {path} failed: errno {Marshal.GetLastPInvokeError()}");
            }
            return true;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport, not LibraryImport: the generated stubs need unsafe code, which this project does not allow.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
