using Xunit.Abstractions;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// The host-level simulator's default run (docs/TESTING.md, "Host-level simulation"): seeds of 4 validators with one
/// Byzantine and of 7 with two, each to a target height, every check after every step; then each sweep asserts that its
/// faults and attacks fired, so a run that attacked nothing cannot pass for one that survived attacks.
/// </summary>
public sealed class HostSimulationTests(ITestOutputHelper output)
{
    private static int SeedCount => int.TryParse(Environment.GetEnvironmentVariable("LEDGER_HOST_SIM_SEEDS"), out var n) && n > 0 ? n : 50;

    [Fact]
    public void Four_validators_with_one_Byzantine_agree_stay_live_and_bounded_under_every_attack()
    {
        var results = Sweep(Enumerable.Range(1, SeedCount), seed => new HostSimulationOptions(seed, Validators: 4, Byzantine: 1, Heights: 40));

        AssertFaultsFired(results);
    }

    [Fact]
    public void Seven_validators_with_two_Byzantine_agree_stay_live_and_bounded_under_every_attack()
    {
        var results = Sweep(Enumerable.Range(1_000_001, Math.Max(1, SeedCount / 4)), seed => new HostSimulationOptions(seed, Validators: 7, Byzantine: 2, Heights: 30));

        AssertFaultsFired(results);
    }

    [Fact]
    public void A_single_host_seed_can_be_rerun()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_HOST_SIM_SEED"), out var s) ? s : 7;
        var validators = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_HOST_SIM_VALIDATORS"), out var v) ? v : 4;
        var options = new HostSimulationOptions(seed, validators, Byzantine: (validators - 1) / 3, Heights: 30);

        var first = Run(options);
        var second = Run(options);

        second.Should().BeEquivalentTo(first, "one seed drives everything: keys, schedule, faults and attacks");
    }

    private List<HostSimulationResult> Sweep(IEnumerable<int> seeds, Func<int, HostSimulationOptions> options)
    {
        var results = new List<HostSimulationResult>();
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            try
            {
                results.Add(Run(options(seed)));
            }
            catch (HostSimulationFailure failure)
            {
                failures.Add(failure.Message);
            }
        }
        failures.Should().BeEmpty($"{failures.Count} of {failures.Count + results.Count} seeds failed; first: {failures.FirstOrDefault()}");
        output.WriteLine($"{results.Count} seeds, {results.Sum(r => (long)r.Heights)} heights committed by every honest node, " +
            $"{results.Sum(r => r.TransactionsCommitted)} transactions, {results.Sum(r => r.Crashes)} crashes, {results.Sum(r => r.EvidenceCommitted)} proofs of equivocation, " +
            $"{results.Sum(r => r.SyncedBatches)} synced batches, {results.Sum(r => r.FetchedBlocks)} fetched blocks, {results.Sum(r => r.SyncStalls)} stalled syncs, " +
            $"{results.Sum(r => r.TamperedServed)} tampered copies served, {results.Sum(r => r.RosterChanges)} validator set changes in force, {results.Sum(r => r.LockSplits)} lock splits ({results.Sum(r => r.LockSplitsLanded)} landed); attacks: " +
            string.Join(", ", Enum.GetValues<HostAttack>().Skip(1).Select(a => $"{a} {results.Sum(r => r.AttacksFired.GetValueOrDefault(a))}")));
        return results;
    }

    private static HostSimulationResult Run(HostSimulationOptions options)
    {
        using var simulation = new HostSimulation(options);
        return simulation.Run();
    }

    private static void AssertFaultsFired(IReadOnlyList<HostSimulationResult> results)
    {
        foreach (var attack in Enum.GetValues<HostAttack>().Skip(1))
        {
            results.Sum(r => r.AttacksFired.GetValueOrDefault(attack)).Should().BePositive($"the sweep must attack by {attack}");
        }
        results.Sum(r => r.Crashes).Should().BePositive("honest validators must crash at their votes");
        results.Sum(r => r.TransactionsCommitted).Should().BePositive("blocks must carry real signed transactions");
        results.Sum(r => r.EvidenceCommitted).Should().BePositive("double votes must end as evidence in blocks");
        results.Sum(r => r.SyncedBatches).Should().BePositive("nodes left behind must catch up by block sync");
        results.Sum(r => r.SyncStalls).Should().BePositive("Byzantine peers must stall block sync");
        results.Sum(r => r.TamperedServed).Should().BePositive("Byzantine peers must serve tampered copies");
        results.Sum(r => r.LockSplitsLanded).Should().BePositive("lock splits must land: a decider decided v while the lockers hold their locks");
        results.Sum(r => r.RosterChanges).Should().BePositive("validator set changes must come into force during the runs");
    }
}
