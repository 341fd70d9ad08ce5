namespace Ledger.Node.Consensus;

/// <summary>The quorums Algorithm 1 waits for, per round.</summary>
public enum ThresholdKind
{
    /// <summary>2f+1 prevotes for anything (L34).</summary>
    PolkaAny = 1,
    /// <summary>2f+1 prevotes for nil (L44).</summary>
    PolkaNil = 2,
    /// <summary>2f+1 prevotes for one value (L28 for an earlier round, L36 for the current one).</summary>
    PolkaValue = 3,
    /// <summary>2f+1 precommits for anything (L47).</summary>
    PrecommitAny = 4,
    /// <summary>2f+1 precommits for one value (L49).</summary>
    PrecommitValue = 5,
    /// <summary>f+1 messages of any type in this round (L55).</summary>
    RoundSkip = 6,
}
