using Ledger.Node.Consensus;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>One simulated network. Everything random in a run comes from <see cref="Seed"/>.</summary>
internal sealed record SimulationOptions(int Seed)
{
    public int Validators { get; init; } = 4;

    /// <summary>The run ends when every honest node decided this many heights (and one more after GST).</summary>
    public int Heights { get; init; } = 10;

    /// <summary>
    /// Validators 0 .. ByzantineCount-1 form a coalition holding less than a third of the power: they equivocate,
    /// vote for invalid blocks, replay old messages, and run the targeted attacks below.
    /// </summary>
    public int ByzantineCount { get; init; } = 1;

    /// <summary>
    /// Share of the heights whose round-0 proposer is Byzantine (or whose round-1 proposer is, after an honest round 0),
    /// started before GST, on which the coalition splits locks (<see cref="LockSplitAttack"/>) instead of equivocating
    /// at random.
    /// </summary>
    public double LockSplitRate { get; init; } = 0.6;

    /// <summary>Share of the heights whose round-0 proposer is Byzantine on which it hands tampered copies to some nodes.</summary>
    public double TamperedCopyRate { get; init; } = 0.2;

    /// <summary>Faults stop at GST: no loss, no duplicates, no partitions, no crashes; delays bounded by DelayAfterGstMaxMs.</summary>
    public long GstMs { get; init; } = 12_000;

    public double LossRate { get; init; } = 0.15;

    public double DuplicateRate { get; init; } = 0.05;

    public int DelayMaxMs { get; init; } = 300;

    public int DelayAfterGstMaxMs { get; init; } = 40;

    /// <summary>Chance per persist effect (before GST) that an honest node crashes just before it, and again just after it.</summary>
    public double CrashAtPersistRate { get; init; } = 0.01;

    /// <summary>Chance per sent message (before GST) that an honest node crashes right after sending it, before its later effects.</summary>
    public double CrashAfterSendRate { get; init; } = 0.002;

    public int PartitionsMax { get; init; } = 2;

    /// <summary>Share of synthetic block ids that every honest node finds invalid.</summary>
    public double InvalidBlockFraction { get; init; } = 0.15;

    /// <summary>After GST every honest node decides the next height within this simulated time.</summary>
    public long LivenessBoundMs { get; init; } = 30_000;

    public long RebroadcastMs { get; init; } = 300;

    /// <summary>Receives one line per event when set (LEDGER_SIM_TRACE=1 on a single-seed rerun).</summary>
    public Action<string>? Trace { get; init; }

    public TimeoutConfig Timeouts { get; init; } = new(300, 150, 150, 75, 150, 75);
}
