using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Contracts.Crypto;
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

    public static async Task<CommitBenchResult> RunAsync(CommitBenchOptions options, TextWriter progress, CancellationToken ct)
    {
        progress.WriteLine("Measuring single-core Ed25519 verification on this machine...");
        var ed25519Rate = SignatureRate.VerificationsPerSecond(KeySuite.Ed25519);
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-bench-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        var chambers = options.SuiteMix
            .SelectMany(m => Enumerable.Range(1, m.Chambers).Select(k => (Id: $"bench-{KeySuiteNames.Format(m.Suite)}-{k}", m.Suite)))
            .ToArray();
        var network = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), options.Validators, chambers);
        var endpoints = await NetworkLayout.WriteAsync(folder, network, options.BasePort, new ConsensusTimeouts(), ct);
        var count = options.RatePerSecond > 0 ? options.RatePerSecond * options.DurationSeconds : 8_000 * options.DurationSeconds;
        progress.WriteLine($"Signing {count} certificate transactions ({string.Join(", ", options.SuiteMix.Select(m => $"{m.Chambers}×{KeySuiteNames.Format(m.Suite)}"))} chambers)...");
        var signers = chambers.Select(c => (c.Id, network.MemberKeys[c.Id])).ToArray();
        var envelopes = CertificateLoad.Sign(ChainId, signers, count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await using var log = new StreamWriter(Path.Combine(folder, "nodes.log"));
        await using var nodes = new ChildNodes();
        for (var i = 0; i < options.Validators; i++)
        {
            nodes.Start($"node-{i + 1}", NetworkLayout.NodeConfigPath(folder, i), log);
        }
        var channels = endpoints.Select(e => GrpcChannel.ForAddress(e)).ToArray();
        try
        {
            var clients = channels.Select(c => new Wire.Ledger.LedgerClient(c)).ToArray();
            progress.WriteLine($"Waiting for {options.Validators} validators to commit their first block (logs: {Path.Combine(folder, "nodes.log")})...");
            var startHeight = await WaitForHeightAsync(clients, 1, ct);
            var result = await DriveAsync(options, clients, envelopes, startHeight, progress, ct);
            var peaks = nodes.Processes.Select(ProcessMemory.PeakResidentBytes).ToArray();
            var diskBytes = Enumerable.Range(0, options.Validators)
                .Sum(i => new DirectoryInfo(Path.Combine(NetworkLayout.NodeFolder(folder, i), "data")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length));
            var ceiling = ed25519Rate * Environment.ProcessorCount / options.Validators;
            return result with
            {
                PeakMemoryBytesPerNode = peaks,
                DiskBytesPerTransaction = result.Committed == 0 ? 0 : (double)diskBytes / options.Validators / result.Committed,
                Ed25519VerificationsPerSecondOneCore = ed25519Rate,
                CeilingTransactionsPerSecond = ceiling,
                FractionOfCeiling = result.CommittedPerSecond / ceiling,
            };
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static async Task<CommitBenchResult> DriveAsync(
        CommitBenchOptions options, Wire.Ledger.LedgerClient[] clients, IReadOnlyList<TxEnvelope> envelopes, ulong startHeight, TextWriter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var submittedAt = new ConcurrentDictionary<Hash32, double>();
        var latencies = new ConcurrentBag<double>();
        var blockSizes = new ConcurrentBag<int>();
        double lastCommitMs = 0;
        using var observing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var observer = Task.Run(async () =>
        {
            using var stream = clients[0].StreamBlocks(new StreamBlocksRequest { FromHeight = startHeight + 1 }, cancellationToken: observing.Token);
            await foreach (var block in stream.ResponseStream.ReadAllAsync(observing.Token))
            {
                var now = clock.Elapsed.TotalMilliseconds;
                if (block.Block.Transactions.Count > 0)
                {
                    blockSizes.Add(block.Block.Transactions.Count);
                }
                foreach (var receipt in block.Receipts)
                {
                    if (submittedAt.TryGetValue(new Hash32(receipt.TxId.Span), out var at))
                    {
                        latencies.Add(now - at);
                        lastCommitMs = now;
                    }
                }
            }
        }, CancellationToken.None);

        var next = -1;
        var refused = 0;
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
                if (!await SubmitAsync(clients[i % clients.Length], envelope, ct))
                {
                    submittedAt.TryRemove(id, out _);
                    Interlocked.Increment(ref refused);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var submitted = submittedAt.Count;
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
            blockSizes.IsEmpty ? 0 : blockSizes.Average(), blockSizes.Count, 0, [], 0, 0, 0);
    }

    /// <summary>Submits without waiting; a full mempool is retried shortly, any other refusal counts as refused.</summary>
    private static async Task<bool> SubmitAsync(Wire.Ledger.LedgerClient client, TxEnvelope envelope, CancellationToken ct)
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

    private static async Task<ulong> WaitForHeightAsync(Wire.Ledger.LedgerClient[] clients, ulong height, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var heights = await Task.WhenAll(clients.Select(async c => (await c.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct)).Height));
                if (heights.All(h => h >= height))
                {
                    return heights.Min();
                }
            }
            catch (RpcException)
            {
                // Still starting.
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException("the validators did not commit a first block within 90 s; see nodes.log");
    }
}
