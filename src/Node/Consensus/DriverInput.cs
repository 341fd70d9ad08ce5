using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>What the host feeds to <see cref="ConsensusDriver.Handle"/>.</summary>
public abstract record DriverInput
{
    private DriverInput()
    {
    }

    /// <summary>A message from peer <paramref name="FromValidator"/>, not yet checked. The signer may differ from the sender (relays, replays).</summary>
    public sealed record MessageReceived(ConsensusMessage Message, int FromValidator) : DriverInput;

    /// <summary>A timeout scheduled by <see cref="DriverEffect.ScheduleTimeout"/> fired.</summary>
    public sealed record TimeoutElapsed(ulong Height, int Round, RoundStep Step) : DriverInput;

    /// <summary>The host now holds the block with this id (fetched after <see cref="DriverEffect.RequestBlock"/>, hash checked).</summary>
    public sealed record BlockReceived(ulong Height, Hash32 BlockId) : DriverInput;

    /// <summary>Periodic: re-send own messages of the current height, re-ask for missing blocks (liveness on lossy links).</summary>
    public sealed record RebroadcastTick : DriverInput;
}
