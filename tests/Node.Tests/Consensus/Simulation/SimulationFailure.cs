namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>A broken invariant; the message names the seed so the run can be replayed alone.</summary>
internal sealed class SimulationFailure(int seed, int validators, long timeMs, string reason)
    : Exception($"seed {seed} ({validators} validators) at {timeMs} ms: {reason}. "
        + $"Rerun alone: LEDGER_SIM_SEED={seed} LEDGER_SIM_VALIDATORS={validators} dotnet test tests/Node.Tests --filter A_single_seed_can_be_rerun")
{
    public int Seed { get; } = seed;
}
