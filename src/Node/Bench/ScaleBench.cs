using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Wire;
using static System.FormattableString;

namespace Ledger.Node.Bench;

/// <summary>
/// `ledger bench scale`: one validator process (a one-validator network written as `ledger init` writes one,
/// LiteDB on disk) driven as fast as it commits with certificate transactions signed beforehand, up to N
/// certificates; measures each step of the growth: throughput, latency, CPU per transaction, memory and disk.
/// Only the node's process and data folder are observed, never its storage internals.
/// </summary>
public static class ScaleBench
{
    private const string ChainId = "bench-scale";
    private static readonly TimeSpan StallMax = TimeSpan.FromSeconds(120);

    /// <param name="stepDone">Called with the figures so far after each step, so that a run stopped early leaves them.</param>
    public static async Task<ScaleBenchResult> RunAsync(ScaleBenchOptions options, TextWriter progress, Action<ScaleBenchResult> stepDone, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-bench-scale-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        Directory.CreateDirectory(folder);
        try
        {
            var chambers = Enumerable.Range(1, options.Chambers).Select(k => (Id: $"bench-ed25519-{k}", Suite: KeySuite.Ed25519)).ToArray();
            var spec = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), 1, chambers);
            var signers = chambers.Select(c => (c.Id, spec.MemberKeys[c.Id])).ToArray();
            var envelopes = Path.Combine(folder, "envelopes.bin");
            progress.WriteLine($"Signing {options.Certificates} certificate transactions on {Environment.ProcessorCount} cores into {envelopes}...");
            var signingSeconds = await SignedEnvelopeFile.WriteAsync(envelopes, ChainId, signers, options.Certificates, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), progress, ct);
            progress.WriteLine($"Signed in {signingSeconds:F1} s. Starting one validator (log: {Path.Combine(folder, "network", "nodes.log")})...");
            var networkFolder = Path.Combine(folder, "network");
            await using var network = await DemoNetwork.StartAsync(networkFolder, spec, null, ct);
            using var channel = DemoNetwork.OpenChannel(network.Endpoints[0]);
            // Blocks hold full certificates: the block stream is read as a member; submits need no identity.
            var client = new Wire.Ledger.LedgerClient(channel.Intercept(new CallSigningInterceptor(CallSigner.ForMember(ChainId, signers[0].Id, signers[0].Item2))));
            var startHeight = (await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct)).Height;
            var clock = Stopwatch.StartNew();
            Run? run = null;
            run = new Run(options, network.Processes[0], NetworkLayout.NodeDataFolder(networkFolder, 0), progress,
                () => stepDone(Summarise(options, signingSeconds, clock.Elapsed.TotalSeconds, run!, finished: false)));
            using (run)
            {
                await run.DriveAsync(client, SignedEnvelopeFile.Read(envelopes), startHeight, ct);
                return Summarise(options, signingSeconds, clock.Elapsed.TotalSeconds, run, finished: true);
            }
        }
        finally
        {
            if (!options.KeepFolder)
            {
                // The node's log stays: when the node died, it is the only account of why.
                File.Delete(Path.Combine(folder, "envelopes.bin"));
                BenchDatabases.Delete(Path.Combine(folder, "network"), 1, progress);
            }
        }
    }

    private static ScaleBenchResult Summarise(ScaleBenchOptions options, double signingSeconds, double runSeconds, Run run, bool finished)
    {
        var steps = run.Steps;
        var first = steps.Count > 0 ? steps[0] : null;
        var last = steps.Count > 0 ? steps[^1] : null;
        double Change(double from, double to) => from == 0 ? 0 : (to - from) / from * 100;
        var throughputChange = first is null ? 0 : Change(first.CommittedPerSecond, last!.CommittedPerSecond);
        var cpuChange = first is null ? 0 : Change(first.NodeCpuMsPerTransaction, last!.NodeCpuMsPerTransaction);
        var peak = steps.Count == 0 ? 0 : steps.Max(s => s.PeakResidentBytes);
        var waiting = steps.Count == 0 ? 0 : steps.Average(s => s.MeanWaitingInNode);
        var driverBound = waiting < options.InFlight / 2.0;
        var summary = first is null ? "no step completed" : string.Join("; ",
            Invariant($"tx/s {(throughputChange <= 0 ? "fell" : "rose")} {Math.Abs(throughputChange):F0}% from step 1 to step {steps.Count} ({first.CommittedPerSecond:F0} -> {last!.CommittedPerSecond:F0})"),
            Invariant($"node CPU per transaction {(cpuChange >= 0 ? "rose" : "fell")} {Math.Abs(cpuChange):F0}% ({first.NodeCpuMsPerTransaction:F2} -> {last.NodeCpuMsPerTransaction:F2} ms)"),
            Invariant($"disk {first.DatabaseBytesPerCertificate:F0} -> {last.DatabaseBytesPerCertificate:F0} bytes per certificate"),
            Invariant($"peak RSS {peak / (1024 * 1024)} MiB ({(peak < 500L * 1024 * 1024 ? "under" : "over")} the 500 MiB target)"),
            Invariant($"on average {waiting:F0} of at most {options.InFlight} transactions waited in the node: ") +
                (driverBound ? "the driver was the bound" : "the node was the bound, not the driver"));
        return new ScaleBenchResult(
            finished, options.Certificates, options.Step, options.InFlight, Environment.ProcessorCount, signingSeconds,
            signingSeconds == 0 ? 0 : options.Certificates / signingSeconds, runSeconds,
            run.Committed, run.RefusedAtSubmit, run.RefusedInBlock, run.Offered - run.Committed - run.RefusedAtSubmit,
            steps, throughputChange, cpuChange, peak, driverBound, summary);
    }

    /// <summary>The state of one drive: counters shared by the submitters, the block observer and the sampler.</summary>
    /// <summary>
    /// Whether a block that brings the ledger to <paramref name="committed"/> ends the current step. A block can carry
    /// it past more than one step's boundary: the step it closes takes them all, and the next block, which may carry
    /// nothing, must not close an empty one.
    /// </summary>
    internal static bool ClosesStep(long committed, int stepsClosed, long step, long stepStartCertificates) =>
        committed >= (stepsClosed + 1) * step && committed > stepStartCertificates;

    private sealed class Run(ScaleBenchOptions options, Process node, string dataFolder, TextWriter progress, Action stepDone) : IDisposable
    {
        private readonly Stopwatch _clock = new();
        private readonly ConcurrentDictionary<Hash32, double> _submittedAtMs = new();
        private readonly SemaphoreSlim _window = new(options.InFlight);
        private readonly Lock _stepLock = new();
        private readonly List<double> _stepLatenciesMs = [];
        private readonly List<ScaleStep> _steps = [];
        private double _stepWaitingSum;
        private int _stepWaitingSamples;
        private double _stepStartMs;
        private long _stepStartCertificates;
        private TimeSpan _stepStartNodeCpu;
        private TimeSpan _stepStartDriverCpu;
        private long _offered;
        private long _committed;
        private long _refusedInBlock;
        private int _refusedAtSubmit;

        public IReadOnlyList<ScaleStep> Steps => _steps;

        public long Offered => Interlocked.Read(ref _offered);

        public long Committed => Interlocked.Read(ref _committed);

        public long RefusedInBlock => Interlocked.Read(ref _refusedInBlock);

        public int RefusedAtSubmit => Volatile.Read(ref _refusedAtSubmit);

        /// <exception cref="InvalidOperationException">The node exited during the run: submitters would otherwise wait for ever on commits that never come.</exception>
        public async Task DriveAsync(Wire.Ledger.LedgerClient client, IEnumerable<TxEnvelope> envelopes, ulong startHeight, CancellationToken ct)
        {
            using var nodeAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void OnExited(object? sender, EventArgs e) => nodeAlive.Cancel();
            node.EnableRaisingEvents = true;
            node.Exited += OnExited;
            try
            {
                if (node.HasExited)
                {
                    await nodeAlive.CancelAsync();
                }
                await DriveWhileAliveAsync(client, envelopes, startHeight, nodeAlive.Token);
            }
            catch (OperationCanceledException) when (node.HasExited && !ct.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"the node exited (code {node.ExitCode}) after {Committed} committed certificates: see the node's log, named when the run started");
            }
            finally
            {
                node.Exited -= OnExited;
            }
        }

        private async Task DriveWhileAliveAsync(Wire.Ledger.LedgerClient client, IEnumerable<TxEnvelope> envelopes, ulong startHeight, CancellationToken ct)
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var queue = Channel.CreateBounded<TxEnvelope>(new BoundedChannelOptions(options.InFlight) { SingleWriter = true });
            _clock.Start();
            _stepStartNodeCpu = ProcessCpu.Used(node);
            _stepStartDriverCpu = ProcessCpu.Used(Process.GetCurrentProcess());
            var reader = Task.Run(async () =>
            {
                foreach (var envelope in envelopes)
                {
                    await queue.Writer.WriteAsync(envelope, ct);
                }
                queue.Writer.Complete();
            }, ct);
            var observer = Task.Run(() => ObserveAsync(client, startHeight, stopping.Token), CancellationToken.None);
            var sampler = Task.Run(() => SampleAsync(stopping.Token), CancellationToken.None);
            var submitters = Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
            {
                await foreach (var envelope in queue.Reader.ReadAllAsync(ct))
                {
                    await _window.WaitAsync(ct);
                    var id = TransactionSigner.IdOf(ChainId, envelope);
                    _submittedAtMs[id] = _clock.Elapsed.TotalMilliseconds;
                    Interlocked.Increment(ref _offered);
                    if (!await CommitBench.SubmitAsync(client, envelope, ct))
                    {
                        _submittedAtMs.TryRemove(id, out _);
                        Interlocked.Increment(ref _refusedAtSubmit);
                        _window.Release();
                    }
                }
            }, ct)).ToArray();
            await reader;
            await Task.WhenAll(submitters);
            progress.WriteLine($"Submitted {Offered}; waiting for the last commits...");
            await WaitForLastCommitsAsync(ct);
            await stopping.CancelAsync();
            await observer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            lock (_stepLock)
            {
                if (Committed > _stepStartCertificates)
                {
                    CloseStep();
                }
            }
        }

        private async Task WaitForLastCommitsAsync(CancellationToken ct)
        {
            var lastProgress = _clock.Elapsed;
            var seen = Committed;
            while (Committed + RefusedAtSubmit < Offered && _clock.Elapsed - lastProgress < StallMax)
            {
                await Task.Delay(100, ct);
                if (Committed != seen)
                {
                    seen = Committed;
                    lastProgress = _clock.Elapsed;
                }
            }
        }

        private async Task ObserveAsync(Wire.Ledger.LedgerClient client, ulong startHeight, CancellationToken ct)
        {
            var nextHeight = startHeight + 1;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    using var stream = client.StreamBlocks(new StreamBlocksRequest { FromHeight = nextHeight }, cancellationToken: ct);
                    await foreach (var block in stream.ResponseStream.ReadAllAsync(ct))
                    {
                        nextHeight = block.Block.Header.Height + 1;
                        OnBlock(block);
                    }
                }
                catch (RpcException) when (!ct.IsCancellationRequested)
                {
                    // The stream broke (a slow reader, a busy node): resume after the last block seen.
                    await Task.Delay(200, ct);
                }
            }
        }

        private void OnBlock(StoredBlock block)
        {
            var nowMs = _clock.Elapsed.TotalMilliseconds;
            lock (_stepLock)
            {
                foreach (var receipt in block.Receipts)
                {
                    // TryRemove: a transaction counts once, at its first commit.
                    if (_submittedAtMs.TryRemove(new Hash32(receipt.TxId.Span), out var atMs))
                    {
                        _stepLatenciesMs.Add(nowMs - atMs);
                        Interlocked.Increment(ref _committed);
                        if (receipt.Code != RuleCatalog.Ok)
                        {
                            Interlocked.Increment(ref _refusedInBlock);
                        }
                        _window.Release();
                    }
                }
                if (ClosesStep(Committed, _steps.Count, options.Step, _stepStartCertificates))
                {
                    CloseStep();
                }
            }
        }

        private async Task SampleAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct);
                lock (_stepLock)
                {
                    _stepWaitingSum += Offered - Committed - RefusedAtSubmit;
                    _stepWaitingSamples++;
                }
            }
        }

        /// <summary>Ends the current step at this moment. Called under the step lock.</summary>
        private void CloseStep()
        {
            var nowMs = _clock.Elapsed.TotalMilliseconds;
            var certificates = Committed;
            var seconds = Math.Max(nowMs - _stepStartMs, 1) / 1000;
            var transactions = certificates - _stepStartCertificates;
            var nodeCpu = ProcessCpu.Used(node);
            var driverCpu = ProcessCpu.Used(Process.GetCurrentProcess());
            var latency = LatencyStats.Of(_stepLatenciesMs);
            var databaseBytes = new DirectoryInfo(dataFolder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            var step = new ScaleStep(
                _steps.Count + 1, certificates, seconds, transactions / seconds,
                _stepLatenciesMs.Count == 0 ? 0 : _stepLatenciesMs.Average(), latency.P99Ms,
                transactions == 0 ? 0 : (nodeCpu - _stepStartNodeCpu).TotalMilliseconds / transactions,
                (nodeCpu - _stepStartNodeCpu).TotalSeconds / seconds,
                (driverCpu - _stepStartDriverCpu).TotalSeconds / seconds,
                _stepWaitingSamples == 0 ? 0 : _stepWaitingSum / _stepWaitingSamples,
                ProcessMemory.ResidentBytes(node), ProcessMemory.PeakResidentBytes(node), ProcessMemory.AnonymousResidentBytes(node),
                databaseBytes, certificates == 0 ? 0 : (double)databaseBytes / certificates);
            _steps.Add(step);
            progress.WriteLine(Invariant(
                $"  step {step.Step}: {step.Certificates} certificates, {step.CommittedPerSecond:F0} tx/s, latency mean {step.MeanLatencyMs:F0} p99 {step.P99LatencyMs:F0} ms, node {step.NodeCpuMsPerTransaction:F2} ms CPU/tx ({step.NodeCores:F2} cores; driver {step.DriverCores:F2}), waiting {step.MeanWaitingInNode:F0}, RSS {step.ResidentBytes / (1024 * 1024)} MiB (peak {step.PeakResidentBytes / (1024 * 1024)}, anonymous {step.AnonymousResidentBytes / (1024 * 1024)}), disk {step.DatabaseBytes / (1024 * 1024)} MiB"));
            stepDone();
            _stepLatenciesMs.Clear();
            _stepWaitingSum = 0;
            _stepWaitingSamples = 0;
            _stepStartMs = nowMs;
            _stepStartCertificates = certificates;
            _stepStartNodeCpu = nodeCpu;
            _stepStartDriverCpu = driverCpu;
        }

        public void Dispose() => _window.Dispose();
    }
}
