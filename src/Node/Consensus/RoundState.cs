using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// The variables of Algorithm 1 for one height. A round of -1 means "none" (the paper's ⊥ for rounds),
/// a null value means nil. The three flags implement "for the first time" of L34, L47 and L36: they belong
/// to the current round and are cleared by StartRound.
/// </summary>
public sealed record RoundState(
    ulong Height,
    int Round,
    RoundStep Step,
    Hash32? LockedValue,
    int LockedRound,
    Hash32? ValidValue,
    int ValidRound,
    Hash32? Decision,
    bool PrevoteTimeoutScheduled,
    bool PrecommitTimeoutScheduled,
    bool PolkaValueHandled)
{
    /// <summary>The state at the start of a height (L10: locks and valid value reset).</summary>
    public static RoundState ForHeight(ulong height) =>
        new(height, 0, RoundStep.Unstarted, null, -1, null, -1, null, false, false, false);
}
