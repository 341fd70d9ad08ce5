using System.Buffers.Binary;

namespace Ledger.Node.Storage;

/// <summary>
/// Checks the pages of LiteDB's write-ahead log (<c>ledger-log.db</c>) before LiteDB opens it. LiteDB 5 keeps no checksum:
/// on open it takes every page whose transaction has a page marked confirmed, and copies them into the data file at the
/// next checkpoint, wherever their page number points. A damaged tail (overwritten, bit-flipped) therefore opens without
/// complaint and fails later — at a read, a write or the checkpoint, with an exception from deep in LiteDB — once the node
/// has synced blocks into the damaged file (issue 20). Here each page's header and slot table is held to the invariants
/// LiteDB itself keeps (its BasePage: header fields, the footer of (position, length) slots), and the log to the order a
/// single writer leaves it in: the pages of one transaction follow each other, its last page marked confirmed. A torn
/// last transaction (no confirmed page yet: a crash mid-write) is what LiteDB discards anyway, and passes.
/// Damage inside a document's bytes keeps a page well formed: that is found at first read (<see cref="NodeDatabase"/>).
/// </summary>
public static class LogPageCheck
{
    /// <summary>LiteDB 5's page size.</summary>
    public const int PageBytes = 8192;

    private const int HeaderBytes = 32;
    private const int SlotBytes = 4;
    private const byte NoIndex = byte.MaxValue;
    private const string HeaderInfo = "** This is a LiteDB file **";

    private enum PageType : byte
    {
        Empty = 0,
        Header = 1,
        Collection = 2,
        Index = 3,
        Data = 4,
    }

    /// <summary>Where and why the log is damaged, or null when every page is well formed.</summary>
    /// <param name="dataFileBytes">The data file's length: no page of the log lies past it by more than the log's own pages.</param>
    public static string? FindDamage(string logPath, long dataFileBytes)
    {
        using var file = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, PageBytes, FileOptions.SequentialScan);
        var pages = file.Length / PageBytes;
        // A page of the log is a page of the data file or a new one after its end; new ones are all in the log.
        var pageIdMax = (dataFileBytes / PageBytes) + pages;
        var buffer = new byte[PageBytes];
        uint? openTransaction = null;
        // Transactions left unconfirmed when another began (rolled back after spilling pages): none may go on later.
        var abandoned = new HashSet<uint>();
        for (long i = 0; i < pages; i++)
        {
            file.ReadExactly(buffer);
            var problem = PageProblem(buffer, pageIdMax);
            var transaction = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(14));
            if (openTransaction is { } open && transaction != open)
            {
                abandoned.Add(open);
            }
            if (problem is null && abandoned.Contains(transaction))
            {
                problem = $"a page of transaction {transaction} after another transaction began";
            }
            if (problem is not null)
            {
                return $"page {i} of {pages} (byte {i * PageBytes}): {problem}";
            }
            openTransaction = buffer[18] == 1 ? null : transaction;
        }
        return null;
    }

    private static string? PageProblem(byte[] page, long pageIdMax)
    {
        var id = BinaryPrimitives.ReadUInt32LittleEndian(page);
        var type = page[4];
        var confirmed = page[18];
        if (type > (byte)PageType.Data)
        {
            return $"page type {type} is not one of LiteDB's";
        }
        if (confirmed > 1)
        {
            return $"the confirmed flag is {confirmed}, neither 0 nor 1";
        }
        if (id > pageIdMax)
        {
            return $"page number {id} lies past the end of the data file and log ({pageIdMax} pages)";
        }
        return (PageType)type switch
        {
            PageType.Header => id == 0 && page.AsSpan(HeaderBytes, HeaderInfo.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(HeaderInfo))
                ? null
                : "a header page that is not LiteDB's header",
            PageType.Empty => page[23] == 0 && page[30] == NoIndex ? null : "an empty page with items",
            PageType.Data or PageType.Index => SlotProblem(page),
            _ => null,
        };
    }

    /// <summary>The footer's slots against the header's counts, as LiteDB's BasePage keeps them.</summary>
    private static string? SlotProblem(byte[] page)
    {
        int items = page[23];
        int used = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(24));
        int nextFree = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(28));
        int highest = page[30];
        if (highest == NoIndex)
        {
            return items == 0 && used == 0 ? null : $"{items} items ({used} bytes) but no slot";
        }
        var footer = (highest + 1) * SlotBytes;
        if (nextFree < HeaderBytes || nextFree > PageBytes - footer)
        {
            return $"next free position {nextFree} outside the content area";
        }
        var count = 0;
        var bytes = 0;
        for (var index = 0; index <= highest; index++)
        {
            var lengthAt = PageBytes - ((index + 1) * SlotBytes);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(lengthAt));
            int position = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(lengthAt + 2));
            if (position == 0)
            {
                if (length != 0)
                {
                    return $"slot {index} has a length but no position";
                }
                continue;
            }
            if (position < HeaderBytes || length == 0 || position + length > nextFree)
            {
                return $"slot {index} at {position}, {length} bytes, outside the content area (free from {nextFree})";
            }
            count++;
            bytes += length;
        }
        if (highest != NoIndex && count == 0)
        {
            return $"highest slot {highest} but no slot used";
        }
        return count == items && bytes == used ? null : $"the slots hold {count} items ({bytes} bytes), the header says {items} ({used})";
    }
}
