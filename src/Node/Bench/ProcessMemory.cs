using System.Diagnostics;
using System.Globalization;

namespace Ledger.Node.Bench;

/// <summary>Resident memory of a process, from /proc (Linux); 0 when the process is gone or the file is not there.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident memory since the process started: VmHWM.</summary>
    public static long PeakResidentBytes(Process process) => Field(process, "VmHWM:");

    /// <summary>Resident memory now: VmRSS.</summary>
    public static long ResidentBytes(Process process) => Field(process, "VmRSS:");

    /// <summary>The anonymous part of resident memory now (heaps, stacks; not mapped files): RssAnon.</summary>
    public static long AnonymousResidentBytes(Process process) => Field(process, "RssAnon:");

    private static long Field(Process process, string name)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
