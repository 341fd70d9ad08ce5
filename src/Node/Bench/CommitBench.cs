using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>
/// `ledger bench commit`: a fresh network of validator processes on loopback with LiteDB on disk, driven
/// with signed certificate transactions; measures committed throughput and finality latency (submit to
/// the block being streamed from a node), block size, disk and memory.
/// </summary>
public static class CommitBench
{
    private const string ChainId = "bench";

    /// <param name="hostile">Plays the last validator against the others; the load then goes to the honest ones only.</param>
    public static async Task<CommitBenchResult> RunAsync(CommitBenchOptions options, TextWriter progress, CancellationToken ct, HostileValidatorFactory? hostile = null)
    {
        // First, as before issue 25, so that its first second is still the one in a fresh process: the warm windows after it are the reference.
        progress.WriteLine($"Measuring single-core Ed25519 verification on this machine ({options.SignatureWindows + 2} s)...");
        var ed25519 = SignatureRate.Warm(KeySuite.Ed25519, options.SignatureWindows);
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-bench-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        var chambers = options.SuiteMix
            .SelectMany(m => Enumerable.Range(1, m.Chambers).Select(k => (Id: $"bench-{KeySuiteNames.Format(m.Suite)}-{k}", m.Suite)))
            .ToArray();
        var spec = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), options.Validators, chambers);
        var perSecond = options.RatePerSecond > 0 ? options.RatePerSecond : 8_000;
        var warmupCount = perSecond * options.WarmupSeconds;
        var count = (perSecond * options.DurationSeconds) + warmupCount;
        progress.WriteLine($"Signing {count} certificate transactions ({string.Join(", ", options.SuiteMix.Select(m => $"{m.Chambers}×{KeySuiteNames.Format(m.Suite)}"))} chambers)...");
        var signers = chambers.Select(c => (c.Id, spec.MemberKeys[c.Id])).ToArray();
        var signed = CertificateLoad.Sign(ChainId, signers, count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var (warmup, envelopes) = (signed.Take(warmupCount).ToArray(), signed.Skip(warmupCount).ToArray());
        progress.WriteLine($"Measuring single-core verification through the nodes' own path, the transaction decoder ({options.SignatureWindows + 2} s)...");
        var limits = GenesisLoader.Load(spec.Document).Config.Limits;
        var nodePath = SignatureRate.NodePath(signed.Take(1_000).ToArray(), ChainId, limits, options.SignatureWindows);

        var hostileIndex = hostile is null ? -1 : options.Validators - 1;
        progress.WriteLine($"Starting {options.Validators} validators{(hostile is null ? "" : $", node-{hostileIndex + 1} hostile")} (logs: {Path.Combine(folder, "nodes.log")})...");
        var network = await DemoNetwork.StartAsync(folder, spec, new ConsensusTimeouts(), ct, starts: i => i != hostileIndex, metrics: true);
        var metricsUrls = network.Started.Select(network.MetricsUrl).ToArray();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var channels = network.StartedEndpoints.Select(DemoNetwork.OpenChannel).ToArray();
        var adversary = hostile is null ? null : await hostile(folder, ChainId, network.Endpoints, hostileIndex, ct);
        try
        {
            var clients = channels.Select(c => new Wire.Ledger.LedgerClient(c)).ToArray();
            // Blocks hold full certificates: the observer streams them as a member; submits need no identity.
            var reader = new Wire.Ledger.LedgerClient(channels[0].Intercept(new CallSigningInterceptor(CallSigner.ForMember(ChainId, signers[0].Id, signers[0].Item2))));
            var warmupCommitted = 0;
            if (warmup.Length > 0)
            {
                progress.WriteLine($"Warming up for {options.WarmupSeconds} s at the same load (committed, not counted)...");
                var warmupHeight = (await clients[0].GetStatusAsync(new GetStatusRequest(), cancellationToken: ct)).Height;
                warmupCommitted = (await DriveAsync(options with { DurationSeconds = options.WarmupSeconds }, clients, reader, warmup, warmupHeight, TextWriter.Null, ct)).Committed;
                await WaitForEmptyMempoolsAsync(clients, ct);
            }
            var startHeight = (await clients[0].GetStatusAsync(new GetStatusRequest(), cancellationToken: ct)).Height;
            var runtimeBefore = await NodeRuntimeCounters.ReadAsync(http, metricsUrls, ct);
            var nodesCpuBefore = NodesCpu(network.Processes);
            var driverCpuBefore = ProcessCpu.Used(Process.GetCurrentProcess());
            var wall = Stopwatch.StartNew();
            var result = await DriveAsync(options, clients, reader, envelopes, startHeight, progress, ct);
            var nodesCpu = NodesCpu(network.Processes) - nodesCpuBefore;
            var driverCpu = ProcessCpu.Used(Process.GetCurrentProcess()) - driverCpuBefore;
            var runtime = await NodeRuntimeCounters.ReadAsync(http, metricsUrls, ct) - runtimeBefore;
            var perTransaction = (double)Math.Max(result.Committed, 1);
            var peaks = network.Processes.Select(ProcessMemory.PeakResidentBytes).ToArray();
            var died = network.Processes
                .Select((node, i) => (node, i))
                .Where(n => n.node.HasExited)
                .Select(n => $"node-{network.Started[n.i] + 1} (exit code {n.node.ExitCode})")
                .ToArray();
            var diskBytes = network.Started
                .Sum(i => new DirectoryInfo(NetworkLayout.NodeDataFolder(folder, i)).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length));
            // Each validator verifies each transaction once: the cores' verifications shared by the validators.
            var ceiling = ed25519.MedianPerSecond * Environment.ProcessorCount / options.Validators;
            var nodePathCeiling = nodePath.MedianPerSecond * Environment.ProcessorCount / options.Validators;
            return result with
            {
                PeakMemoryBytesPerNode = peaks,
                DiskBytesPerTransaction = result.Committed == 0 ? 0 : (double)diskBytes / network.Started.Count / (result.Committed + warmupCommitted),
                Ed25519VerificationsPerSecondOneCore = ed25519.MedianPerSecond,
                CeilingTransactionsPerSecond = ceiling,
                FractionOfCeiling = result.CommittedPerSecond / ceiling,
                Ed25519Rate = ed25519,
                NodePathRate = nodePath,
                NodePathCeilingTransactionsPerSecond = nodePathCeiling,
                FractionOfNodePathCeiling = result.CommittedPerSecond / nodePathCeiling,
                NodesCpuMsPerTransaction = nodesCpu.TotalMilliseconds / perTransaction,
                DriverCpuMsPerTransaction = driverCpu.TotalMilliseconds / perTransaction,
                NodesBusyCores = nodesCpu.TotalSeconds / wall.Elapsed.TotalSeconds,
                DriverBusyCores = driverCpu.TotalSeconds / wall.Elapsed.TotalSeconds,
                // What the machine's cores allow if every transaction costs what it cost in this run.
                CpuBoundTransactionsPerSecond = Environment.ProcessorCount * 1000 / ((nodesCpu + driverCpu).TotalMilliseconds / perTransaction),
                NodesDied = died,
                NodesAllocatedBytesPerTransaction = runtime.AllocatedBytes / perTransaction,
                NodesGcPauseMsPerTransaction = runtime.GcPauseSeconds * 1000 / perTransaction,
                NodesGcPausedFractionOfWall = runtime.GcPauseSeconds / network.Started.Count / wall.Elapsed.TotalSeconds,
                WarmupSeconds = options.WarmupSeconds,
            };
        }
        finally
        {
            if (adversary is not null)
            {
                await adversary.DisposeAsync();
            }
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
            await network.DisposeAsync();
            BenchDatabases.Delete(folder, options.Validators, progress);
        }
    }

    /// <summary>Waits (at most a minute) until no node holds a transaction: none of the warm-up's may commit in the measured run.</summary>
    private static async Task WaitForEmptyMempoolsAsync(Wire.Ledger.LedgerClient[] clients, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            var sizes = await Task.WhenAll(clients.Select(async c => (await c.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct)).MempoolSize));
            if (sizes.All(size => size == 0))
            {
                return;
            }
            await Task.Delay(100, ct);
        }
    }

    private static TimeSpan NodesCpu(IEnumerable<Process> nodes) =>
        nodes.Aggregate(TimeSpan.Zero, (sum, node) => sum + ProcessCpu.Used(node));

    private static async Task<CommitBenchResult> DriveAsync(
        CommitBenchOptions options, Wire.Ledger.LedgerClient[] clients, Wire.Ledger.LedgerClient reader, IReadOnlyList<TxEnvelope> envelopes, ulong startHeight, TextWriter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var submittedAt = new ConcurrentDictionary<Hash32, double>();
        var latencies = new ConcurrentBag<double>();
        var blockSizes = new ConcurrentBag<int>();
        double lastCommitMs = 0;
        using var observing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var observer = Task.Run(async () =>
        {
            using var stream = reader.StreamBlocks(new StreamBlocksRequest { FromHeight = startHeight + 1 }, cancellationToken: observing.Token);
            await foreach (var block in stream.ResponseStream.ReadAllAsync(observing.Token))
            {
                var now = clock.Elapsed.TotalMilliseconds;
                if (block.Block.Transactions.Count > 0)
                {
                    blockSizes.Add(block.Block.Transactions.Count);
                }
                foreach (var receipt in block.Receipts)
                {
                    // TryRemove: a transaction counts once, at its first commit.
                    if (submittedAt.TryRemove(new Hash32(receipt.TxId.Span), out var at))
                    {
                        latencies.Add(now - at);
                        lastCommitMs = now;
                    }
                }
            }
        }, CancellationToken.None);

        var next = -1;
        var refused = 0;
        var accepted = 0;
        progress.WriteLine(options.RatePerSecond > 0
            ? $"Offering {options.RatePerSecond} transactions per second for {options.DurationSeconds} s..."
            : $"Submitting as fast as the network takes them for up to {options.DurationSeconds} s...");
        var workers = Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < envelopes.Count)
            {
                if (options.RatePerSecond > 0)
                {
                    var dueMs = i * 1000.0 / options.RatePerSecond;
                    var waitMs = dueMs - clock.Elapsed.TotalMilliseconds;
                    if (waitMs > 1)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(waitMs), ct);
                    }
                }
                else if (clock.Elapsed.TotalSeconds > options.DurationSeconds)
                {
                    return;
                }
                var envelope = envelopes[i];
                var id = TransactionSigner.IdOf(ChainId, envelope);
                submittedAt[id] = clock.Elapsed.TotalMilliseconds;
                if (await SubmitAsync(clients[i % clients.Length], envelope, ct))
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    submittedAt.TryRemove(id, out _);
                    Interlocked.Increment(ref refused);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var submitted = Volatile.Read(ref accepted);
        var submitEndMs = clock.Elapsed.TotalMilliseconds;
        progress.WriteLine($"Submitted {submitted} in {submitEndMs / 1000:F1} s; waiting for the last commits...");
        var drainDeadline = clock.Elapsed + TimeSpan.FromSeconds(30);
        while (latencies.Count < submitted && clock.Elapsed < drainDeadline)
        {
            await Task.Delay(100, ct);
        }
        await observing.CancelAsync();
        await observer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var committed = latencies.Count;
        var windowMs = Math.Max(lastCommitMs, 1);
        return new CommitBenchResult(
            options.Validators, options.RatePerSecond, options.DurationSeconds,
            string.Join(",", options.SuiteMix.Select(m => $"{KeySuiteNames.Format(m.Suite)}={m.Chambers}")),
            submitted, committed, refused, committed / (windowMs / 1000), LatencyStats.Of(latencies.ToArray()),
            blockSizes.IsEmpty ? 0 : blockSizes.Average(), blockSizes.Count, 0, [], 0, 0, 0, 0, 0, 0, 0, 0, []);
    }

    /// <summary>Submits without waiting; a full mempool is retried shortly, any other refusal counts as refused.</summary>
    internal static async Task<bool> SubmitAsync(Wire.Ledger.LedgerClient client, TxEnvelope envelope, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await client.SubmitAsync(new SubmitRequest { Transaction = envelope }, cancellationToken: ct);
                return true;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable)
            {
                await Task.Delay(20 * (attempt + 1), ct);
            }
            catch (RpcException)
            {
                return false;
            }
        }
        return false;
    }
}
