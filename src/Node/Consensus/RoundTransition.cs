namespace Ledger.Node.Consensus;

/// <summary>The result of one step of the round state machine.</summary>
public sealed record RoundTransition(RoundState State, IReadOnlyList<RoundOutput> Outputs)
{
    public static RoundTransition Unchanged(RoundState state) => new(state, []);
}
