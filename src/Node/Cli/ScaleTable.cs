using System.Globalization;
using Ledger.Node.Bench;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>The table `ledger bench scale` prints: one row per step, the same figures as its JSON.</summary>
public static class ScaleTable
{
    private const double Mib = 1024 * 1024;

    public static void Print(ScaleBenchResult r)
    {
        var table = new Table().AddColumns(
            "step", "certificates", "tx/s", "latency mean / p99 ms", "node CPU ms/tx", "cores node / driver", "waiting in node",
            "RSS / peak / anon MiB", "database MiB", "bytes / certificate");
        foreach (var s in r.Steps)
        {
            table.AddRow(
                s.Step.ToString(CultureInfo.InvariantCulture),
                s.Certificates.ToString("N0", CultureInfo.InvariantCulture),
                s.CommittedPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{s.MeanLatencyMs:F0} / {s.P99LatencyMs:F0}"),
                s.NodeCpuMsPerTransaction.ToString("F2", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{s.NodeCores:F2} / {s.DriverCores:F2}"),
                s.MeanWaitingInNode.ToString("F0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{s.ResidentBytes / Mib:F0} / {s.PeakResidentBytes / Mib:F0} / {s.AnonymousResidentBytes / Mib:F0}"),
                (s.DatabaseBytes / Mib).ToString("F0", CultureInfo.InvariantCulture),
                s.DatabaseBytesPerCertificate.ToString("F0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"signed {r.Certificates:N0} in {r.SigningSeconds:F0} s ({r.SignedPerSecond:F0}/s on {r.Cores} cores, before the node started); ran {r.RunSeconds:F0} s; committed {r.Committed:N0}, refused at submit {r.RefusedAtSubmit}, refused in a block {r.RefusedInBlock}, not committed {r.NotCommitted}"));
        AnsiConsole.WriteLine(r.Summary);
    }
}
