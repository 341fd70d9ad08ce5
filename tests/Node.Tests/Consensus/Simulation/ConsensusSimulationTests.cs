using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// Deterministic simulation of whole networks. LEDGER_SIM_SEEDS sets how many seeds the 4-validator sweep runs
/// (the other sweeps run a fixed share of it); LEDGER_SIM_SEED replays one seed alone.
/// </summary>
public sealed class ConsensusSimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 1000;
    private const int Heights = 10;

    [Fact]
    public void Four_validators_with_one_byzantine_keep_safety_and_liveness_over_many_seeds()
    {
        Sweep(validators: 4, byzantine: 1, seeds: SeedCount(), firstSeed: 1);
    }

    [Fact]
    public void Seven_validators_with_two_byzantine_keep_safety_and_liveness_over_many_seeds()
    {
        Sweep(validators: 7, byzantine: 2, seeds: Math.Max(1, SeedCount() / 2), firstSeed: 1_000_001);
    }

    [Fact]
    public void Six_validators_where_two_thirds_is_a_whole_number_of_votes_never_decide_on_exactly_two_thirds()
    {
        // With 6 equal votes, 4 are exactly two thirds: the only size here where ">" and ">=" differ.
        Sweep(validators: 6, byzantine: 1, seeds: Math.Max(1, SeedCount() / 10), firstSeed: 2_000_001);
    }

    [Fact]
    public void A_single_seed_can_be_rerun()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_SEED"), out var s) ? s : 42;
        var validators = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_VALIDATORS"), out var v) ? v : 4;
        var options = Options(seed, validators);
        var trace = Environment.GetEnvironmentVariable("LEDGER_SIM_TRACE") == "1";

        var first = new Simulation(options with { Trace = trace ? output.WriteLine : null }).Run();
        var second = new Simulation(options).Run();

        output.WriteLine(first.ToString());
        second.Fingerprint.Should().Be(first.Fingerprint, "one seed must replay the same run");
        first.HeightsDecided.Should().BeGreaterThanOrEqualTo(Heights);
    }

    /// <summary>The options of every sweep; f is the largest coalition below a third of the validators.</summary>
    internal static SimulationOptions Options(int seed, int validators) =>
        new(seed) { Validators = validators, ByzantineCount = (validators - 1) / 3, Heights = Heights };

    private void Sweep(int validators, int byzantine, int seeds, int firstSeed)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new ConcurrentBag<SimulationFailure>();
        var results = new ConcurrentBag<SimulationResult>();
        Parallel.For(firstSeed, firstSeed + seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            try
            {
                results.Add(new Simulation(Options(seed, validators) with { ByzantineCount = byzantine }).Run());
            }
            catch (SimulationFailure failure)
            {
                failures.Add(failure);
            }
        });
        var ordered = failures.OrderBy(f => f.Seed).ToList();
        output.WriteLine($"{seeds} seeds x {Heights} heights, {validators} validators ({byzantine} Byzantine): {stopwatch.ElapsedMilliseconds} ms wall, "
            + $"{results.Sum(r => r.HeightsDecided)} heights decided by every honest node, "
            + $"{results.Sum(r => r.Deliveries)} deliveries, {results.Sum(r => r.Crashes)} crashes ({results.Sum(r => r.TargetedCrashes)} targeted), "
            + $"{results.Sum(r => r.LockSplits)} lock splits ({results.Sum(r => r.LockSplitsLanded)} landed), "
            + $"{results.Sum(r => r.TamperedCopyAttacks)} tampered-copy attacks ({results.Sum(r => r.TamperedCopies)} copies held), "
            + $"{results.Sum(r => r.Evidence)} equivocations reported, {results.Sum(r => r.CertificatesOffered)} certificate offers, "
            + $"{results.Sum(r => r.BlocksRequested)} block requests, "
            + $"max GST-to-decision {results.DefaultIfEmpty().Max(r => r?.GstToNextDecisionMs ?? 0)} ms simulated");
        foreach (var failure in ordered.Take(5))
        {
            output.WriteLine(failure.Message);
        }

        ordered.Should().BeEmpty($"{ordered.Count} of {seeds} seeds failed; first: {ordered.FirstOrDefault()?.Message}");
        // A simulator whose faults never fire proves nothing.
        results.Sum(r => r.Crashes).Should().BePositive();
        results.Sum(r => r.TargetedCrashes).Should().BePositive();
        results.Sum(r => r.LockSplitsLanded).Should().BePositive();
        results.Sum(r => r.TamperedCopies).Should().BePositive();
        results.Sum(r => r.Evidence).Should().BePositive();
        results.Sum(r => r.CertificatesOffered).Should().BePositive();
        results.Sum(r => r.BlocksRequested).Should().BePositive();
    }

    private static int SeedCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("LEDGER_SIM_SEEDS"), out var seeds) && seeds > 0 ? seeds : DefaultSeeds;
}
