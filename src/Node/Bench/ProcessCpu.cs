using System.Diagnostics;

namespace Ledger.Node.Bench;

/// <summary>CPU time a process has used so far (user and system), zero once it has exited.</summary>
public static class ProcessCpu
{
    public static TimeSpan Used(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
