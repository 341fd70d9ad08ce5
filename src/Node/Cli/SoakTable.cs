using System.Globalization;
using Ledger.Node.Bench;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>The tables `ledger bench soak` prints: load, kills, the end check per node, memory per minute; the same figures as its JSON.</summary>
public static class SoakTable
{
    private const double Mib = 1024 * 1024;

    public static void Print(SoakBenchResult r)
    {
        var summary = new Table().AddColumns("figure", "value");
        void Row(string name, string value) => summary.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("validators / minutes / kill every / down", Invariant($"{r.Validators} / {r.Minutes:0.##} / {r.KillEverySeconds} s / {r.DownSeconds} s"));
        Row("offered", Invariant($"{r.Offered} at {r.OfferedPerSecond} tx/s"));
        Row("acknowledged / not acknowledged / refused", Invariant($"{r.Acknowledged} / {r.NotAcknowledged} / {r.Refused} ({r.AcknowledgedPerSecond:F0} tx/s acknowledged)"));
        Row("submit-and-wait latency p50 / p95 / p99 / max", Invariant($"{r.AcknowledgeLatency.P50Ms:F0} / {r.AcknowledgeLatency.P95Ms:F0} / {r.AcknowledgeLatency.P99Ms:F0} / {r.AcknowledgeLatency.MaxMs:F0} ms"));
        Row("converged", r.Converged ? Invariant($"yes, {r.SettleSeconds:F1} s after the load") : "NO");
        Row("verdict", r.Failures.Count == 0 ? "nothing acknowledged lost, one head, every node back" : string.Join("; ", r.Failures));
        AnsiConsole.Write(summary);

        var kills = new Table().AddColumns("node", "killed at s", "restarted at s", "height to reach", "caught up after s");
        foreach (var k in r.Kills)
        {
            kills.AddRow(Invariant($"node-{k.Node}"), Invariant($"{k.KilledAtSeconds:F0}"), Invariant($"{k.RestartedAtSeconds:F0}"),
                Invariant($"{k.HeightToReach}"), k.CaughtUpAfterSeconds is { } s ? Invariant($"{s:F1}") : "did not");
        }
        AnsiConsole.Write(kills);

        var nodes = new Table().AddColumns("node", "height", "last block", "state root", "missing", "misplaced");
        foreach (var n in r.Nodes)
        {
            nodes.AddRow(Invariant($"node-{n.Node}"), Invariant($"{n.Height}"), Short(n.LastBlockHash), Short(n.StateRoot), Invariant($"{n.Missing}"), Invariant($"{n.Misplaced}"));
        }
        AnsiConsole.Write(nodes);

        var memory = new Table().AddColumns("minute", "node", "RSS min / median / max MiB");
        foreach (var m in r.Memory)
        {
            memory.AddRow(Invariant($"{m.Minute + 1}"), Invariant($"node-{m.Node}"), Invariant($"{m.MinBytes / Mib:F0} / {m.MedianBytes / Mib:F0} / {m.MaxBytes / Mib:F0}"));
        }
        AnsiConsole.Write(memory);
        foreach (var g in r.MemoryGrowth)
        {
            AnsiConsole.WriteLine(Invariant(
                $"node-{g.Node}: median RSS {g.MiddleThirdMedianBytes / Mib:F0} MiB in the run's middle third, {g.LastThirdMedianBytes / Mib:F0} MiB in the last ({g.ChangePercent:+0;-0}%){(g.Flagged ? " GROWTH FLAGGED" : "")}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex;
}
