using System.Diagnostics;

namespace Ledger.Node.Bench;

/// <summary>Peak resident memory of a process, from /proc (Linux): VmHWM.</summary>
public static class ProcessMemory
{
    public static long PeakResidentBytes(Process process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
