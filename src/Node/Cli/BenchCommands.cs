using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ledger.Contracts.Crypto;
using Ledger.Node.Bench;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>`ledger bench ...`: benchmarks that print their figures, and with --json write them to a file.</summary>
public static class BenchCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static Command Bench()
    {
        var bench = new Command("bench", "Benchmarks: each prints a table, and with --json the same figures as JSON");
        bench.Subcommands.Add(Commit());
        bench.Subcommands.Add(Replay());
        bench.Subcommands.Add(Verify());
        bench.Subcommands.Add(Scale());
        bench.Subcommands.Add(Soak());
        return bench;
    }

    private static Command Commit()
    {
        var validators = new Option<int>("--validators") { Description = "Validator processes", DefaultValueFactory = _ => 4 };
        var rate = new Option<int>("--rate") { Description = "Offered transactions per second; 0 = as fast as it goes", DefaultValueFactory = _ => 0 };
        var duration = new Option<int>("--duration") { Description = "Seconds of load", DefaultValueFactory = _ => 20 };
        var suites = new Option<string>("--suites") { Description = "Chambers per suite, e.g. ed25519=3,sm2=1,gost2012=1", DefaultValueFactory = _ => "ed25519=4" };
        var concurrency = new Option<int>("--concurrency") { Description = "Submissions in flight", DefaultValueFactory = _ => 64 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Seconds of the same load first, committed and not counted (a fresh node compiles its code as it first runs it)",
            DefaultValueFactory = _ => 0,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file" };
        var command = new Command("commit", "Commit throughput and finality latency of a network of validator processes on loopback")
        {
            validators, rate, duration, suites, concurrency, warmup, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new CommitBenchOptions(parse.GetValue(validators), parse.GetValue(rate), parse.GetValue(duration),
                ParseMix(parse.GetValue(suites)!), parse.GetValue(concurrency), parse.GetValue(warmup));
            if (options.DurationSeconds < 1 || options.RatePerSecond < 0 || options.Concurrency < 1 || options.WarmupSeconds < 0)
            {
                Console.Error.WriteLine("--duration and --concurrency must be at least 1, --rate and --warmup at least 0");
                return ExitCodes.BadInput;
            }
            var result = await CommitBench.RunAsync(options, Console.Out, ct);
            Print(result);
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(result, IndentedJson), ct);
            }
            if (result.Failed)
            {
                await Console.Error.WriteLineAsync($"bench commit: {string.Join(", ", result.NodesDied)} died during the run (see nodes.log): the figures are not a measurement of {result.Validators} validators.");
                return 1;
            }
            return 0;
        });
        return command;
    }

    private static Command Replay()
    {
        var transactions = new Option<int>("--transactions") { Description = "Transactions in the ledger replayed", DefaultValueFactory = _ => 50_000 };
        var perBlock = new Option<int>("--per-block") { Description = "Transactions per block", DefaultValueFactory = _ => 1_000 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file" };
        var command = new Command("replay", "The auditor's replay of a ledger of N transactions built in memory") { transactions, perBlock, json };
        command.SetAction(async (parse, ct) =>
        {
            var r = await ReplayBench.RunAsync(parse.GetValue(transactions), parse.GetValue(perBlock), Console.Out, ct);
            var table = new Table().AddColumns("figure", "value");
            table.AddRow("transactions / blocks", $"{r.Transactions} / {r.Blocks}");
            table.AddRow("discrepancies found", r.Findings.ToString(CultureInfo.InvariantCulture));
            table.AddRow("replay time", $"{r.Seconds:F1} s");
            table.AddRow("replay rate", $"{r.TransactionsPerSecond:F0} tx/s on {r.Cores} cores");
            table.AddRow("Ed25519 verify, one core", $"{r.Ed25519VerificationsPerSecondOneCore:F0} /s (ceiling {r.Ed25519VerificationsPerSecondOneCore * r.Cores:F0} tx/s)");
            AnsiConsole.Write(table);
            await WriteJson(parse.GetValue(json), r, ct);
            return r.Findings == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Verify()
    {
        var certificates = new Option<int>("--certificates") { Description = "Certificates issued first", DefaultValueFactory = _ => 500 };
        var callers = new Option<int>("--callers") { Description = "Concurrent callers", DefaultValueFactory = _ => 64 };
        var duration = new Option<int>("--duration") { Description = "Seconds per measurement", DefaultValueFactory = _ => 10 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file" };
        var command = new Command("verify", "VerifyCertificate with and without proof, from one node, many callers at once") { certificates, callers, duration, json };
        command.SetAction(async (parse, ct) =>
        {
            var results = await VerifyBench.RunAsync(parse.GetValue(certificates), parse.GetValue(callers), parse.GetValue(duration), Console.Out, ct);
            var table = new Table().AddColumns("proof", "callers", "calls/s", "p50 / p95 / p99 ms", "errors");
            foreach (var r in results)
            {
                table.AddRow(r.WithProof ? "with" : "without", r.Callers.ToString(CultureInfo.InvariantCulture), r.CallsPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                    $"{r.Latency.P50Ms:F1} / {r.Latency.P95Ms:F1} / {r.Latency.P99Ms:F1}", r.Errors.ToString(CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            await WriteJson(parse.GetValue(json), results, ct);
            return 0;
        });
        return command;
    }

    private static Command Scale()
    {
        var certificates = new Option<int>("--certificates") { Description = "Certificates committed in all", DefaultValueFactory = _ => 1_000_000 };
        var step = new Option<int>("--step") { Description = "Certificates per measured step", DefaultValueFactory = _ => 100_000 };
        var inFlight = new Option<int>("--in-flight") { Description = "Transactions submitted and not yet committed, at most", DefaultValueFactory = _ => 8_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Submit calls in flight", DefaultValueFactory = _ => 32 };
        var chambers = new Option<int>("--chambers") { Description = "Ed25519 chambers issuing the certificates in turn", DefaultValueFactory = _ => 4 };
        var keep = new Option<bool>("--keep") { Description = "Keep the node's folder and database after the run" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file" };
        var command = new Command("scale", "One validator process driven to N certificates: throughput, latency, CPU, memory and disk per step of growth")
        {
            certificates, step, inFlight, concurrency, chambers, keep, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ScaleBenchOptions(parse.GetValue(certificates), parse.GetValue(step), parse.GetValue(inFlight), parse.GetValue(concurrency),
                parse.GetValue(chambers), parse.GetValue(keep));
            if (options.Certificates < 1 || options.Step < 1 || options.InFlight < 1 || options.Concurrency < 1 || options.Chambers < 1)
            {
                Console.Error.WriteLine("--certificates, --step, --in-flight, --concurrency and --chambers must be at least 1");
                return ExitCodes.BadInput;
            }
            var file = parse.GetValue(json);
            var result = await ScaleBench.RunAsync(options, Console.Out, partial => WriteJsonNow(file, partial), ct);
            ScaleTable.Print(result);
            WriteJsonNow(file, result);
            return result.NotCommitted == 0 && result.RefusedAtSubmit == 0 && result.RefusedInBlock == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Soak()
    {
        var minutes = new Option<double>("--minutes") { Description = "Minutes of load (fractions allowed)", DefaultValueFactory = _ => 10 };
        var killEvery = new Option<int>("--kill-every") { Description = "Seconds between kills of a validator, round robin", DefaultValueFactory = _ => 60 };
        var down = new Option<int>("--down") { Description = "Seconds a killed validator stays down", DefaultValueFactory = _ => 5 };
        var rate = new Option<int>("--rate") { Description = "Transactions offered per second", DefaultValueFactory = _ => 100 };
        var validators = new Option<int>("--validators") { Description = "Validator processes", DefaultValueFactory = _ => 4 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures to this file" };
        var command = new Command("soak", "Steady load on a devnet with a validator killed (SIGKILL) and restarted at every interval; checks nothing acknowledged is lost")
        {
            minutes, killEvery, down, rate, validators, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SoakBenchOptions(parse.GetValue(minutes), parse.GetValue(killEvery), parse.GetValue(down), parse.GetValue(rate), parse.GetValue(validators));
            if (options.Minutes <= 0 || options.KillEverySeconds < 1 || options.DownSeconds < 0 || options.RatePerSecond < 1 || options.Validators is < 4 or > 10)
            {
                Console.Error.WriteLine("--minutes, --kill-every and --rate must be positive, --down at least 0, --validators 4 to 10 (one may be down)");
                return ExitCodes.BadInput;
            }
            var result = await SoakBench.RunAsync(options, Console.Out, ct);
            SoakTable.Print(result);
            await WriteJson(parse.GetValue(json), result, ct);
            return result.Failures.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task WriteJson<T>(FileInfo? file, T value, CancellationToken ct)
    {
        if (file is not null)
        {
            await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(value, IndentedJson), ct);
        }
    }

    private static void WriteJsonNow<T>(FileInfo? file, T value)
    {
        if (file is not null)
        {
            File.WriteAllText(file.FullName, JsonSerializer.Serialize(value, IndentedJson));
        }
    }

    private static IReadOnlyList<(KeySuite, int)> ParseMix(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var pieces = part.Split('=');
            var suite = KeySuiteNames.Parse(pieces[0]);
            var chambers = pieces.Length > 1 ? int.Parse(pieces[1], CultureInfo.InvariantCulture) : 1;
            return (suite, chambers);
        }).ToArray();

    private static string Windows(WarmRate? rate) => rate is null
        ? ""
        : $" (first second {rate.FirstSecondPerSecond:F0}; warm windows {string.Join(", ", rate.WarmWindowsPerSecond.Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))})";

    private static void Print(CommitBenchResult r)
    {
        var table = new Table().AddColumns("figure", "value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("validators", r.Validators.ToString(CultureInfo.InvariantCulture));
        Row("offered", r.OfferedPerSecond == 0 ? "as fast as it goes" : $"{r.OfferedPerSecond} tx/s");
        Row("warm-up (same load, not counted)", $"{r.WarmupSeconds} s");
        Row("suite mix (chambers)", r.SuiteMix);
        Row("submitted / committed / refused", $"{r.Submitted} / {r.Committed} / {r.RefusedAtSubmit}");
        Row("committed throughput", $"{r.CommittedPerSecond:F0} tx/s");
        Row("finality latency p50 / p95 / p99 / max", $"{r.FinalityLatency.P50Ms:F0} / {r.FinalityLatency.P95Ms:F0} / {r.FinalityLatency.P99Ms:F0} / {r.FinalityLatency.MaxMs:F0} ms");
        Row("transactions per non-empty block", $"{r.TransactionsPerBlock:F0} over {r.Blocks} blocks");
        Row("disk per transaction (per node)", $"{r.DiskBytesPerTransaction:F0} bytes");
        Row("peak memory per node", string.Join(", ", r.PeakMemoryBytesPerNode.Select(b => $"{b / (1024 * 1024)} MiB")));
        Row("Ed25519 verify, one core, warm (median)", $"{r.Ed25519VerificationsPerSecondOneCore:F0} /s{Windows(r.Ed25519Rate)}");
        Row("ceiling (cores × rate / validators)", $"{r.CeilingTransactionsPerSecond:F0} tx/s; reached {r.FractionOfCeiling:P0}");
        if (r.NodePathRate is { } nodePath)
        {
            Row("the nodes' verification path, one core, warm (median)", $"{nodePath.MedianPerSecond:F0} /s{Windows(nodePath)}");
            Row("ceiling through that path", $"{r.NodePathCeilingTransactionsPerSecond:F0} tx/s; reached {r.FractionOfNodePathCeiling:P0}");
        }
        Row("CPU per committed transaction", $"{r.NodesCpuMsPerTransaction:F2} ms in the {r.Validators} nodes together, {r.DriverCpuMsPerTransaction:F2} ms in this driver");
        Row("allocated per committed transaction", $"{r.NodesAllocatedBytesPerTransaction / 1024:F1} KiB in the {r.Validators} nodes together");
        Row("GC pause per committed transaction (wall)", $"{r.NodesGcPauseMsPerTransaction:F3} ms in the {r.Validators} nodes together; a node paused {r.NodesGcPausedFractionOfWall:P0} of the time");
        Row("busy cores (nodes / driver)", $"{r.NodesBusyCores:F2} / {r.DriverBusyCores:F2} of {Environment.ProcessorCount}");
        Row("throughput the cores allow at that cost", $"{r.CpuBoundTransactionsPerSecond:F0} tx/s");
        if (r.Failed)
        {
            Row("nodes that died during the run", string.Join(", ", r.NodesDied));
        }
        AnsiConsole.Write(table);
    }
}
