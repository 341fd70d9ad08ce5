namespace Ledger.Client;

/// <summary>Whether an answer was checked against a quorum-certified state or is the node's word.</summary>
public enum AnswerTrust
{
    /// <summary>Asked without a proof: the answer is only as good as the node that gave it.</summary>
    Unverified = 0,
    /// <summary>Every field was recomputed from values proven against a header certified by the genesis validators.</summary>
    Proven = 1,
}
