using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// What the host must do, in list order. A <see cref="PersistWriteAhead"/> always comes first in a list: the
/// host makes it durable before it sends any message that follows it.
/// </summary>
public abstract record DriverEffect
{
    private DriverEffect()
    {
    }

    /// <summary>Send to every other validator.</summary>
    public sealed record Broadcast(ConsensusMessage Message) : DriverEffect;

    /// <summary>Send to one validator (a certificate offer to a lagging peer).</summary>
    public sealed record SendTo(int ValidatorIndex, ConsensusMessage Message) : DriverEffect;

    /// <summary>Feed <see cref="DriverInput.TimeoutElapsed"/> back after <paramref name="DurationMs"/>.</summary>
    public sealed record ScheduleTimeout(ulong Height, int Round, RoundStep Step, long DurationMs) : DriverEffect;

    /// <summary>
    /// The height is decided: store block and certificate durably, apply the block, then call
    /// <see cref="ConsensusDriver.StartHeight"/> with the next height.
    /// </summary>
    public sealed record Decide(ulong Height, int Round, Hash32 BlockId, CommitCertificate Certificate) : DriverEffect;

    /// <summary>Make the write-ahead record durable before sending anything that follows.</summary>
    public sealed record PersistWriteAhead(WriteAheadRecord Record) : DriverEffect;

    /// <summary>Fetch this block from peers, check its hash, then feed <see cref="DriverInput.BlockReceived"/>.</summary>
    public sealed record RequestBlock(ulong Height, Hash32 BlockId) : DriverEffect;

    /// <summary>A validator signed two different messages for one (height, round, type): store it for the auditor.</summary>
    public sealed record ReportEvidence(EquivocationEvidence Evidence) : DriverEffect;
}
