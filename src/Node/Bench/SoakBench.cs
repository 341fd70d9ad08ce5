using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Wire;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Ledger.Node.Bench;

/// <summary>
/// `ledger bench soak`: a devnet of validator processes under a steady load offered through the client library,
/// one validator SIGKILLed and restarted at every interval, round robin. At the end: every acknowledged
/// transaction must be on every node where its receipt said, all nodes at one head, every node back.
/// </summary>
public static class SoakBench
{
    private const string ChainId = "bench-soak";
    private const int LookupsInFlightPerNode = 16;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CatchUpMax = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SettleMax = TimeSpan.FromSeconds(60);

    /// <summary>Runs the soak in a new folder under /tmp; the folder (node logs and databases) is kept only when the run failed.</summary>
    public static async Task<SoakBenchResult> RunAsync(SoakBenchOptions options, TextWriter progress, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-bench-soak-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        var result = await RunInAsync(folder, options, progress, ct);
        if (result.Failures.Count == 0)
        {
            Directory.Delete(folder, recursive: true);
        }
        else
        {
            progress.WriteLine($"Kept {folder} (node logs and databases) as evidence of the failures.");
        }
        return result;
    }

    private static async Task<SoakBenchResult> RunInAsync(string folder, SoakBenchOptions options, TextWriter progress, CancellationToken ct)
    {
        var chambers = new[] { (Id: "bench-ed25519-1", Suite: KeySuite.Ed25519), (Id: "bench-ed25519-2", Suite: KeySuite.Ed25519) };
        var spec = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), options.Validators, chambers);
        var durationSeconds = options.Minutes * 60;
        var count = (int)Math.Ceiling(options.RatePerSecond * durationSeconds);
        progress.WriteLine($"Signing {count} certificate transactions...");
        var envelopes = CertificateLoad.Sign(ChainId, chambers.Select(c => (c.Id, spec.MemberKeys[c.Id])).ToArray(), count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        progress.WriteLine($"Starting {options.Validators} validators (logs: {Path.Combine(folder, "nodes.log")})...");
        await using var network = await DemoNetwork.StartAsync(folder, spec, null, ct);
        var channels = network.Endpoints.Select(DemoNetwork.OpenChannel).ToArray();
        var clientOptions = new LedgerClientOptions { ChainId = ChainId, RetryCount = 8 };
        foreach (var endpoint in network.Endpoints)
        {
            clientOptions.Endpoints.Add(endpoint);
        }
        using var connection = new LedgerConnection(Options.Create(clientOptions));
        try
        {
            // Transactions are commercial data: the final look-ups read as a member.
            var reader = new CallSigningInterceptor(CallSigner.ForMember(ChainId, chambers[0].Id, spec.MemberKeys[chambers[0].Id]));
            var nodes = channels.Select(c => new Wire.Ledger.LedgerClient(c.Intercept(reader))).ToArray();
            var client = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(spec.Document));
            var clock = Stopwatch.StartNew();
            var memory = new ConcurrentBag<(double Seconds, int Node, long Bytes)>();
            var sampler = Task.Run(() => SampleMemoryAsync(network, clock, durationSeconds, memory, ct), ct);
            var killer = Task.Run(() => KillAndRestartAsync(network, nodes, options, durationSeconds, clock, progress, ct), ct);
            progress.WriteLine(Invariant($"Offering {options.RatePerSecond} tx/s for {durationSeconds:F0} s, a validator killed every {options.KillEverySeconds} s and restarted {options.DownSeconds} s later..."));
            var load = await OfferLoadAsync(client, envelopes, options.RatePerSecond, clock, ct);
            var loadSeconds = clock.Elapsed.TotalSeconds;
            var kills = await killer;
            await sampler;
            progress.WriteLine($"Acknowledged {load.Acks.Count} of {count}; letting the network settle...");
            var settleStarted = clock.Elapsed;
            var highestAck = load.Acks.IsEmpty ? 0 : load.Acks.Max(a => a.Height);
            var (converged, statuses) = await SettleAsync(nodes, highestAck, ct);
            var settleSeconds = (clock.Elapsed - settleStarted).TotalSeconds;
            progress.WriteLine($"Looking up {load.Acks.Count} acknowledged transactions on each node...");
            var checks = new List<SoakNodeCheck>();
            for (var i = 0; i < nodes.Length; i++)
            {
                var status = statuses[i] ?? await StatusAsync(nodes[i], ct);
                // A node that does not answer has lost everything as far as its users can tell; asking 30,000 times would only say so slowly.
                var (missing, misplaced) = status is null ? (load.Acks.Count, 0) : await CheckAcksAsync(nodes[i], load.Acks, ct);
                checks.Add(new SoakNodeCheck(i + 1, status?.Height ?? 0, Hex(status?.LastBlockHash), Hex(status?.StateRoot), missing, misplaced));
            }
            var (minutes, growth) = SummariseMemory(memory);
            var failures = Failures(load.Acks.Count, converged, statuses, checks, kills);
            var latencies = LatencyStats.Of(load.LatenciesMs.ToArray());
            return new SoakBenchResult(
                options.Validators, options.Minutes, options.KillEverySeconds, options.DownSeconds, options.RatePerSecond, count,
                load.Acks.Count, load.NotAcknowledged, load.Refused, load.Acks.Count / loadSeconds, latencies,
                kills, converged, settleSeconds, checks, minutes, growth, failures);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private sealed record Ack(ByteString TxId, ulong Height, uint Position, ByteString BlockHash);

    private sealed record Load(ConcurrentBag<Ack> Acks, ConcurrentBag<double> LatenciesMs, int NotAcknowledged, int Refused);

    /// <summary>Starts one submit-and-wait per transaction on schedule, without waiting for the earlier ones.</summary>
    private static async Task<Load> OfferLoadAsync(LedgerNodeClient client, IReadOnlyList<TxEnvelope> envelopes, int ratePerSecond, Stopwatch clock, CancellationToken ct)
    {
        var acks = new ConcurrentBag<Ack>();
        var latencies = new ConcurrentBag<double>();
        var notAcknowledged = 0;
        var refused = 0;
        var calls = new List<Task>(envelopes.Count);
        for (var i = 0; i < envelopes.Count; i++)
        {
            var waitMs = (i * 1000.0 / ratePerSecond) - clock.Elapsed.TotalMilliseconds;
            if (waitMs > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), ct);
            }
            var envelope = envelopes[i];
            calls.Add(Task.Run(async () =>
            {
                var startedMs = clock.Elapsed.TotalMilliseconds;
                try
                {
                    var receipt = await client.SubmitAndWaitAsync(envelope, ct);
                    acks.Add(new Ack(receipt.Receipt.TxId, receipt.Height, receipt.Position, receipt.BlockHash));
                    latencies.Add(clock.Elapsed.TotalMilliseconds - startedMs);
                }
                catch (LedgerRefusedException)
                {
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e) when (e is TimeoutException or LedgerUnavailableException or UntrustedAnswerException)
                {
                    Interlocked.Increment(ref notAcknowledged);
                }
            }, ct));
        }
        await Task.WhenAll(calls);
        return new Load(acks, latencies, notAcknowledged, refused);
    }

    private static async Task<IReadOnlyList<SoakKill>> KillAndRestartAsync(
        DemoNetwork network, Wire.Ledger.LedgerClient[] nodes, SoakBenchOptions options, double durationSeconds, Stopwatch clock, TextWriter progress, CancellationToken ct)
    {
        var watches = new List<Task<SoakKill>>();
        for (var k = 1; (k * options.KillEverySeconds) + options.DownSeconds < durationSeconds; k++)
        {
            await DelayUntilAsync(clock, k * options.KillEverySeconds, ct);
            var index = (k - 1) % nodes.Length;
            network.Kill(index);
            var killedAt = clock.Elapsed.TotalSeconds;
            progress.WriteLine(Invariant($"  {killedAt:F0} s: killed node-{index + 1}"));
            await Task.Delay(TimeSpan.FromSeconds(options.DownSeconds), ct);
            var target = await HighestHeightAsync(nodes.Where((_, i) => i != index), ct);
            await network.RestartAsync(index, ct);
            var restartedAt = clock.Elapsed.TotalSeconds;
            progress.WriteLine(Invariant($"  {restartedAt:F0} s: restarted node-{index + 1}; the others are at height {target}"));
            watches.Add(WatchCatchUpAsync(nodes[index], index, killedAt, restartedAt, target, clock, ct));
        }
        return await Task.WhenAll(watches);
    }

    private static async Task<SoakKill> WatchCatchUpAsync(
        Wire.Ledger.LedgerClient node, int index, double killedAt, double restartedAt, ulong target, Stopwatch clock, CancellationToken ct)
    {
        var giveUpAt = clock.Elapsed + CatchUpMax;
        while (clock.Elapsed < giveUpAt)
        {
            if (await HeightAsync(node, ct) >= target)
            {
                return new SoakKill(index + 1, killedAt, restartedAt, target, clock.Elapsed.TotalSeconds - restartedAt);
            }
            await Task.Delay(250, ct);
        }
        return new SoakKill(index + 1, killedAt, restartedAt, target, null);
    }

    /// <summary>Waits until one round of GetStatus finds every node at the same head, at or above the highest acknowledged height.</summary>
    private static async Task<(bool Converged, NodeStatus?[] Statuses)> SettleAsync(Wire.Ledger.LedgerClient[] nodes, ulong highestAck, CancellationToken ct)
    {
        var giveUpAt = DateTime.UtcNow + SettleMax;
        var statuses = new NodeStatus?[nodes.Length];
        while (DateTime.UtcNow < giveUpAt)
        {
            statuses = await Task.WhenAll(nodes.Select(n => StatusAsync(n, ct)));
            if (statuses.All(s => s is not null) && statuses[0]!.Height >= highestAck &&
                statuses.All(s => s!.Height == statuses[0]!.Height && s.LastBlockHash == statuses[0]!.LastBlockHash && s.StateRoot == statuses[0]!.StateRoot))
            {
                return (true, statuses);
            }
            await Task.Delay(100, ct);
        }
        return (false, statuses);
    }

    private static async Task<(int Missing, int Misplaced)> CheckAcksAsync(Wire.Ledger.LedgerClient node, IEnumerable<Ack> acks, CancellationToken ct)
    {
        var missing = 0;
        var misplaced = 0;
        await Parallel.ForEachAsync(acks, new ParallelOptions { MaxDegreeOfParallelism = LookupsInFlightPerNode, CancellationToken = ct }, async (ack, token) =>
        {
            var found = await LookUpAsync(node, ack.TxId, token);
            if (found is null)
            {
                Interlocked.Increment(ref missing);
            }
            else if (found.Receipt.Height != ack.Height || found.Receipt.Position != ack.Position || found.Receipt.BlockHash != ack.BlockHash)
            {
                Interlocked.Increment(ref misplaced);
            }
        });
        return (missing, misplaced);
    }

    /// <summary>The transaction as the node has it; null when the node says it has none (or keeps failing to answer).</summary>
    private static async Task<TransactionInfo?> LookUpAsync(Wire.Ledger.LedgerClient node, ByteString txId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await node.GetTransactionAsync(new GetTransactionRequest { TxId = txId }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound || attempt == 2)
            {
                return null;
            }
            catch (RpcException)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task SampleMemoryAsync(DemoNetwork network, Stopwatch clock, double durationSeconds, ConcurrentBag<(double, int, long)> samples, CancellationToken ct)
    {
        while (clock.Elapsed.TotalSeconds < durationSeconds)
        {
            var at = clock.Elapsed.TotalSeconds;
            for (var i = 0; i < network.Processes.Count; i++)
            {
                // A killed node has no memory to report until it runs again.
                if (ProcessMemory.ResidentBytes(network.Processes[i]) is var bytes and > 0)
                {
                    samples.Add((at, i + 1, bytes));
                }
            }
            await Task.Delay(SampleEvery, ct);
        }
    }

    private static (IReadOnlyList<SoakMemoryMinute>, IReadOnlyList<SoakMemoryGrowth>) SummariseMemory(IReadOnlyCollection<(double Seconds, int Node, long Bytes)> samples)
    {
        var minutes = samples
            .GroupBy(s => (Minute: (int)(s.Seconds / 60), s.Node))
            .OrderBy(g => g.Key.Node).ThenBy(g => g.Key.Minute)
            .Select(g =>
            {
                var sorted = g.Select(s => s.Bytes).Order().ToArray();
                return new SoakMemoryMinute(g.Key.Minute, g.Key.Node, sorted.Length, sorted[0], sorted[sorted.Length / 2], sorted[^1]);
            })
            .ToArray();
        return (minutes, SoakMemoryGrowth.Of(samples));
    }

    private static List<string> Failures(int acknowledged, bool converged, NodeStatus?[] statuses, IEnumerable<SoakNodeCheck> checks, IEnumerable<SoakKill> kills)
    {
        var failures = new List<string>();
        if (acknowledged == 0)
        {
            failures.Add("no transaction was acknowledged as committed");
        }
        if (!converged)
        {
            failures.Add($"the nodes did not reach one head within {SettleMax.TotalSeconds:F0} s: heights " +
                string.Join(", ", statuses.Select(s => s?.Height.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer")));
        }
        foreach (var check in checks)
        {
            if (check.Missing > 0)
            {
                failures.Add($"node-{check.Node}: {check.Missing} acknowledged transactions not found");
            }
            if (check.Misplaced > 0)
            {
                failures.Add($"node-{check.Node}: {check.Misplaced} acknowledged transactions at another height, position or block");
            }
        }
        foreach (var kill in kills.Where(k => k.CaughtUpAfterSeconds is null))
        {
            failures.Add(Invariant($"node-{kill.Node}, restarted at {kill.RestartedAtSeconds:F0} s, did not reach height {kill.HeightToReach} within {CatchUpMax.TotalSeconds:F0} s"));
        }
        return failures;
    }

    private static async Task<ulong> HighestHeightAsync(IEnumerable<Wire.Ledger.LedgerClient> nodes, CancellationToken ct) =>
        (await Task.WhenAll(nodes.Select(n => HeightAsync(n, ct)))).Max();

    private static async Task<ulong> HeightAsync(Wire.Ledger.LedgerClient node, CancellationToken ct) =>
        (await StatusAsync(node, ct))?.Height ?? 0;

    private static async Task<NodeStatus?> StatusAsync(Wire.Ledger.LedgerClient node, CancellationToken ct)
    {
        try
        {
            return await node.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static async Task DelayUntilAsync(Stopwatch clock, double seconds, CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(seconds) - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }

    private static string Hex(ByteString? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes.Span);
}
