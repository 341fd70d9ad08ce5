namespace Ledger.Node.Consensus;

/// <summary>The outcome of adding one message to the vote keeper, and the thresholds it made true.</summary>
public sealed record VoteKeeperResult(VoteOutcome Outcome, IReadOnlyList<ThresholdEvent> Events, EquivocationEvidence? Evidence)
{
    public static VoteKeeperResult Duplicate { get; } = new(VoteOutcome.Duplicate, [], null);
}
