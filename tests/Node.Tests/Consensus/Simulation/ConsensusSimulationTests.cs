using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// Deterministic simulation of whole networks. LEDGER_SIM_SEEDS sets how many seeds the sweeps run (default
/// 1000 for 4 validators, a fifth of that for 7); LEDGER_SIM_SEED replays one seed alone.
/// </summary>
public sealed class ConsensusSimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 1000;
    private const int Heights = 10;

    [Fact]
    public void Four_validators_with_one_byzantine_keep_safety_and_liveness_over_many_seeds()
    {
        Sweep(validators: 4, seeds: SeedCount(), firstSeed: 1);
    }

    [Fact]
    public void Seven_validators_with_one_byzantine_keep_safety_and_liveness_over_many_seeds()
    {
        Sweep(validators: 7, seeds: Math.Max(1, SeedCount() / 5), firstSeed: 1_000_001);
    }

    [Fact]
    public void A_single_seed_can_be_rerun()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_SEED"), out var s) ? s : 42;
        var validators = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_VALIDATORS"), out var v) ? v : 4;
        var options = new SimulationOptions(seed) { Validators = validators, Heights = Heights };
        var trace = Environment.GetEnvironmentVariable("LEDGER_SIM_TRACE") == "1";

        var first = new Simulation(options with { Trace = trace ? output.WriteLine : null }).Run();
        var second = new Simulation(options).Run();

        output.WriteLine(first.ToString());
        second.Fingerprint.Should().Be(first.Fingerprint, "one seed must replay the same run");
        first.HeightsDecided.Should().BeGreaterThanOrEqualTo(Heights);
    }

    private void Sweep(int validators, int seeds, int firstSeed)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new ConcurrentBag<SimulationFailure>();
        var results = new ConcurrentBag<SimulationResult>();
        Parallel.For(firstSeed, firstSeed + seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            try
            {
                results.Add(new Simulation(new SimulationOptions(seed) { Validators = validators, Heights = Heights }).Run());
            }
            catch (SimulationFailure failure)
            {
                failures.Add(failure);
            }
        });
        var ordered = failures.OrderBy(f => f.Seed).ToList();
        output.WriteLine($"{seeds} seeds x {Heights} heights, {validators} validators: {stopwatch.ElapsedMilliseconds} ms wall, "
            + $"{results.Sum(r => r.Deliveries)} deliveries, {results.Sum(r => r.Crashes)} crashes, "
            + $"{results.Sum(r => r.Evidence)} equivocations reported, {results.Sum(r => r.CertificatesOffered)} certificate offers, "
            + $"{results.Sum(r => r.BlocksRequested)} block requests, "
            + $"max GST-to-decision {results.DefaultIfEmpty().Max(r => r?.GstToNextDecisionMs ?? 0)} ms simulated");

        ordered.Should().BeEmpty($"{ordered.Count} of {seeds} seeds failed; first: {ordered.FirstOrDefault()?.Message}");
        // A simulator whose faults never fire proves nothing.
        results.Sum(r => r.Crashes).Should().BePositive();
        results.Sum(r => r.Evidence).Should().BePositive();
        results.Sum(r => r.CertificatesOffered).Should().BePositive();
        results.Sum(r => r.BlocksRequested).Should().BePositive();
    }

    private static int SeedCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_SEEDS"), out var seeds) && seeds > 0 ? seeds : DefaultSeeds;
}
