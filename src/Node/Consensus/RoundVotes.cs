using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// Everything received for one round of the current height. Power is counted per distinct validator: the
/// first message of a validator per type is the one counted, whatever arrives later.
/// </summary>
internal sealed class RoundVotes
{
    public RoundVotes(int validatorCount)
    {
        Prevotes = new SignedVote?[validatorCount];
        Precommits = new SignedVote?[validatorCount];
        Seen = new bool[validatorCount];
        EvidenceRecorded = new bool[validatorCount * 3];
    }

    public SignedProposal? Proposal { get; set; }

    public SignedVote?[] Prevotes { get; }

    public SignedVote?[] Precommits { get; }

    /// <summary>Validators from which any message of this round arrived (L55).</summary>
    public bool[] Seen { get; }

    public long SeenPower { get; set; }

    /// <summary>One evidence per (validator, type) is enough to prove misbehaviour and bounds memory.</summary>
    public bool[] EvidenceRecorded { get; }

    // Lookups only: no output depends on the order of these dictionaries.
    public Dictionary<Hash32, long> PrevotePower { get; } = [];

    public Dictionary<Hash32, long> PrecommitPower { get; } = [];

    public long PrevoteAnyPower { get; set; }

    public long PrevoteNilPower { get; set; }

    public long PrecommitAnyPower { get; set; }

    public bool PolkaAny { get; set; }

    public bool PolkaNil { get; set; }

    /// <summary>At most one value can hold more than two thirds of distinct validators' prevotes.</summary>
    public Hash32? PolkaValue { get; set; }

    public bool PrecommitAny { get; set; }

    public Hash32? PrecommitValue { get; set; }

    public bool Skip { get; set; }
}
