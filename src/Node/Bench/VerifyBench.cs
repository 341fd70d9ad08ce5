using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Crypto;
using Ledger.Node.Demo;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>
/// `ledger bench verify`: a network of validator processes holding some certificates, then callers asking
/// one node VerifyCertificate with and without proof, as many as configured in flight at once.
/// </summary>
public static class VerifyBench
{
    public static async Task<IReadOnlyList<VerifyBenchResult>> RunAsync(int certificates, int callers, int seconds, TextWriter progress, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-bench-verify-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        progress.WriteLine("Starting 4 validator processes...");
        var network = await DemoNetwork.StartAsync(folder, 4, ct);
        try
        {
            using var channel = DemoNetwork.OpenChannel(network.Endpoints[0]);
            var client = new Wire.Ledger.LedgerClient(channel);
            var status = await client.GetStatusAsync(new GetStatusRequest(), cancellationToken: ct);
            var key = (await KeyFile.LoadAsync(network.MemberKey(CorridorGenesis.CnChamber), cancellationToken: ct)).Pair;
            progress.WriteLine($"Issuing {certificates} certificates...");
            var envelopes = CertificateLoad.Sign(status.ChainId, [(CorridorGenesis.CnChamber, key)], certificates, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await Task.WhenAll(envelopes.Select(e => client.SubmitAsync(new SubmitRequest { Transaction = e }, cancellationToken: ct).ResponseAsync));
            await client.SubmitAsync(new SubmitRequest { Transaction = envelopes[^1], WaitForCommit = true, WaitTimeoutMs = 60_000 }, cancellationToken: ct);
            var ids = Enumerable.Range(0, certificates).Select(i => CertificateIds.Of(CorridorGenesis.CnChamber, $"B-{i:D8}")).ToArray();
            var results = new List<VerifyBenchResult>();
            foreach (var withProof in new[] { false, true })
            {
                progress.WriteLine($"{callers} callers asking VerifyCertificate {(withProof ? "with" : "without")} proof for {seconds} s...");
                results.Add(await MeasureAsync(client, ids, withProof, callers, seconds, ct));
            }
            return results;
        }
        finally
        {
            await network.DisposeAsync();
            BenchDatabases.Delete(folder, 4, progress);
        }
    }

    private static async Task<VerifyBenchResult> MeasureAsync(Wire.Ledger.LedgerClient client, string[] ids, bool withProof, int callers, int seconds, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
        {
            var i = worker;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var answer = await client.VerifyCertificateAsync(new VerifyCertificateRequest
                    {
                        CertificateId = ids[i++ % ids.Length],
                        DocumentHash = ByteString.CopyFrom(new byte[32]),
                        WithProof = withProof,
                    }, cancellationToken: ct);
                    if (!answer.Found || (withProof && answer.Proof is null))
                    {
                        Interlocked.Increment(ref errors);
                    }
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var stats = LatencyStats.Of(latencies.ToArray());
        return new VerifyBenchResult(withProof, callers, stats.Count / clock.Elapsed.TotalSeconds, stats, errors);
    }
}
