namespace Ledger.Node.Consensus;

/// <summary>
/// Timeout of a step in round r is base + r × delta (CONSENSUS-NOTES rule 7): after the network settles, some
/// round lasts long enough for every correct message to arrive. Rounds restart at 0 each height, so do timeouts.
/// </summary>
public sealed record TimeoutConfig(
    long ProposeBaseMs,
    long ProposeDeltaMs,
    long PrevoteBaseMs,
    long PrevoteDeltaMs,
    long PrecommitBaseMs,
    long PrecommitDeltaMs)
{
    public static TimeoutConfig Default { get; } = new(3000, 500, 1000, 500, 1000, 500);

    public long DurationMs(RoundStep step, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        var (baseMs, deltaMs) = step switch
        {
            RoundStep.Propose => (ProposeBaseMs, ProposeDeltaMs),
            RoundStep.Prevote => (PrevoteBaseMs, PrevoteDeltaMs),
            RoundStep.Precommit => (PrecommitBaseMs, PrecommitDeltaMs),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "only propose, prevote and precommit time out"),
        };
        return baseMs + (round * deltaMs);
    }
}
