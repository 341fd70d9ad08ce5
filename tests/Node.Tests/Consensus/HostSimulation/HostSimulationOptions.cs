using Ledger.Node.Hosting;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>One run of the host-level simulator: the network's size, its Byzantine validators, and the faults before GST.</summary>
internal sealed record HostSimulationOptions(int Seed, int Validators, int Byzantine, int Heights)
{
    /// <summary>Until this simulated time the network loses, duplicates and delays messages, partitions, and honest nodes crash.</summary>
    public long GstMs { get; init; } = 15_000;

    /// <summary>Simulated time after which a run that has not decided its heights fails.</summary>
    public long GiveUpMs { get; init; } = 600_000;

    /// <summary>After GST, no honest node below the target goes this long without committing a height.</summary>
    public long LivenessBoundMs { get; init; } = 30_000;

    public double LossBeforeGst { get; init; } = 0.10;

    public double DuplicateBeforeGst { get; init; } = 0.04;

    public long DelayMaxBeforeGstMs { get; init; } = 300;

    public long DelayMaxAfterGstMs { get; init; } = 40;

    /// <summary>Chance that an honest validator crashes at one of its own votes before GST: before sending it (its record is durable) or right after.</summary>
    public double CrashAtVote { get; init; } = 0.01;

    /// <summary>An honest clock is off by up to this much either way.</summary>
    public long ClockSkewMaxMs { get; init; } = 250;

    /// <summary>Governance changes the validator set this often (0: never), so rosters change while everything else goes on.</summary>
    public long ValidatorChangeEveryMs { get; init; } = 6_000;

    /// <summary>A transaction (a signed, real one) enters every pool this often.</summary>
    public long TransactionIntervalMs { get; init; } = 120;

    /// <summary>Short timeouts: simulated time is free, but every tick is an event.</summary>
    public ConsensusTimeouts Timeouts { get; init; } = new(
        ProposeBaseMs: 600, ProposeDeltaMs: 200, PrevoteBaseMs: 300, PrevoteDeltaMs: 100, PrecommitBaseMs: 300, PrecommitDeltaMs: 100,
        RebroadcastMs: 250, EmptyBlockIntervalMs: 100, BlockTimeAheadMaxMs: 2_000);

    /// <summary>Quorum size by count (equal powers): more than two thirds.</summary>
    public int Quorum => Validators * 2 / 3 + 1;
}
