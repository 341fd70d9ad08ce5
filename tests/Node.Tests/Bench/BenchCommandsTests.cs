using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Node.Bench;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.Bench;

/// <summary>`ledger bench commit`, `scale` and `soak` at the smallest sizes that exercise them: real node processes, real kills.</summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class BenchCommandsTests : IDisposable
{
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"ledger-bench-test-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task Bench_scale_commits_every_certificate_and_reports_each_step()
    {
        var (exitCode, error) = await InvokeAsync("bench", "scale", "--certificates", "200", "--step", "100", "--json", _json);

        exitCode.Should().Be(ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = json.RootElement;
        root.GetProperty("Finished").GetBoolean().Should().BeTrue();
        root.GetProperty("Committed").GetInt64().Should().Be(200);
        root.GetProperty("NotCommitted").GetInt64().Should().Be(0);
        root.GetProperty("Summary").GetString().Should().Contain("from step 1 to step");
        var steps = root.GetProperty("Steps").EnumerateArray().ToArray();
        steps.Should().NotBeEmpty();
        steps[^1].GetProperty("Certificates").GetInt64().Should().Be(200);
        foreach (var step in steps)
        {
            step.GetProperty("CommittedPerSecond").GetDouble().Should().BePositive();
            step.GetProperty("ResidentBytes").GetInt64().Should().BePositive();
            step.GetProperty("PeakResidentBytes").GetInt64().Should().BeGreaterThanOrEqualTo(step.GetProperty("ResidentBytes").GetInt64());
            step.GetProperty("DatabaseBytes").GetInt64().Should().BePositive();
            step.GetProperty("NodeCpuMsPerTransaction").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        }
        // Steps close at block boundaries: the last may hold a small block's few transactions, whose CPU time can fall below
        // the 10 ms resolution of a process's CPU counter. The run as a whole cannot.
        steps.Sum(s => s.GetProperty("NodeCpuMsPerTransaction").GetDouble()).Should().BePositive();
    }

    [Fact]
    public async Task Bench_soak_kills_a_validator_and_finds_every_acknowledged_transaction_on_every_node()
    {
        var (exitCode, error) = await InvokeAsync("bench", "soak", "--minutes", "0.15", "--kill-every", "5", "--down", "1", "--rate", "20", "--json", _json);

        exitCode.Should().Be(ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        var root = json.RootElement;
        root.GetProperty("Acknowledged").GetInt32().Should().BePositive();
        root.GetProperty("Converged").GetBoolean().Should().BeTrue();
        root.GetProperty("Failures").GetArrayLength().Should().Be(0);
        var kill = root.GetProperty("Kills").EnumerateArray().Should().ContainSingle().Subject;
        kill.GetProperty("Node").GetInt32().Should().Be(1);
        kill.GetProperty("CaughtUpAfterSeconds").ValueKind.Should().Be(JsonValueKind.Number);
        var nodes = root.GetProperty("Nodes").EnumerateArray().ToArray();
        nodes.Should().HaveCount(4);
        nodes.Select(n => n.GetProperty("LastBlockHash").GetString()).Distinct().Should().ContainSingle();
        nodes.Should().AllSatisfy(n => n.GetProperty("Missing").GetInt32().Should().Be(0));
        root.GetProperty("Memory").GetArrayLength().Should().BePositive();
    }

    [Fact]
    public async Task Bench_commit_commits_what_it_offers_counts_none_of_its_warm_up_and_deletes_the_nodes_databases_but_keeps_their_log()
    {
        var progress = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var result = await CommitBench.RunAsync(new CommitBenchOptions(4, 50, 2, [(KeySuite.Ed25519, 2)], 16, WarmupSeconds: 1, SignatureWindows: 1), progress, timeout.Token);

        progress.ToString().Should().Contain("Signing 150 certificate transactions").And.Contain("Warming up for 1 s");
        result.Submitted.Should().Be(100, "the 50 of the warm-up are committed first and not counted");
        result.Committed.Should().Be(100);
        result.WarmupSeconds.Should().Be(1);
        result.NodesDied.Should().BeEmpty();
        result.Failed.Should().BeFalse();
        result.FinalityLatency.P50Ms.Should().BePositive();
        result.DiskBytesPerTransaction.Should().BePositive("the databases are measured before they are deleted");
        result.Ed25519Rate!.WarmWindowsPerSecond.Should().ContainSingle();
        result.Ed25519VerificationsPerSecondOneCore.Should().Be(result.Ed25519Rate.MedianPerSecond, "the ceiling is taken from the warm windows, not the first second");
        result.NodePathRate!.MedianPerSecond.Should().BePositive("the nodes' decoder verified this run's envelopes");
        result.FractionOfNodePathCeiling.Should().BePositive();
        result.NodesAllocatedBytesPerTransaction.Should().BePositive("read from the nodes' runtime counters before and after the measured window");
        var log = Regex.Match(progress.ToString(), @"logs: (\S+nodes\.log)").Groups[1].Value;
        File.Exists(log).Should().BeTrue(progress.ToString());
        var folder = Path.GetDirectoryName(log)!;
        try
        {
            Enumerable.Range(0, 4).Should().AllSatisfy(i => Directory.Exists(NetworkLayout.NodeDataFolder(folder, i)).Should().BeFalse());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose() => File.Delete(_json);

    /// <summary>Runs the command in this process; returns its exit code and what it wrote as errors.</summary>
    private static async Task<(int ExitCode, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand("ledger (test)") { BenchCommands.Bench() };
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var exitCode = await CliInvocation.InvokeAsync(root, args, new InvocationConfiguration { Output = TextWriter.Null, Error = error }, timeout.Token);
        return (exitCode, error.ToString());
    }
}
