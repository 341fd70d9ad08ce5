namespace Ledger.Contracts.Blocks;

/// <summary>
/// The deterministic rules of block time (PROTOCOL.md, "Block time"): strictly increasing, and never past
/// <see cref="MaxMs"/>, so that head + 1 cannot overflow and a replay checks every block. How far ahead of real
/// time a proposer may set it is decided by the validators' clocks at prevote, not here.
/// </summary>
public static class BlockTime
{
    /// <summary>9999-12-31T23:59:59.999Z: the last instant ISO 8601 dates (and .NET's DateTimeOffset) can name.</summary>
    public const long MaxMs = 253_402_300_799_999;

    /// <summary>The time a proposer gives the block after one of <paramref name="headTimeMs"/>; null when the head is at the end of time.</summary>
    public static long? Next(long headTimeMs, long clockMs) =>
        headTimeMs >= MaxMs ? null : Math.Min(Math.Max(clockMs, headTimeMs + 1), MaxMs);

    /// <summary>Null when a block at <paramref name="timeMs"/> may follow one at <paramref name="headTimeMs"/>; otherwise why not.</summary>
    public static string? Mismatch(long headTimeMs, long timeMs) =>
        timeMs <= headTimeMs ? $"time_ms {timeMs} is not after the head's {headTimeMs}"
        : timeMs > MaxMs ? $"time_ms {timeMs} is past the last block time, {MaxMs}"
        : null;
}
