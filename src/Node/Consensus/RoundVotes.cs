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
        PrevoteValues = new byte[validatorCount];
        PrecommitValues = new byte[validatorCount];
        EvidenceRecorded = new bool[validatorCount * 3];
    }

    public SignedProposal? Proposal { get; set; }

    /// <summary>An equivocating proposer's second proposal: never prevoted (L22/L28 take the first), but L36 may lock on it.</summary>
    public SignedProposal? SecondProposal { get; set; }

    /// <summary>Distinct values (nil included) kept per validator for prevotes and for precommits: at most two each.</summary>
    public byte[] PrevoteValues { get; }

    public byte[] PrecommitValues { get; }

    public SignedVote?[] Prevotes { get; }

    public SignedVote?[] Precommits { get; }

    /// <summary>Validators from which any message of this round arrived (L55).</summary>
    public bool[] Seen { get; }

    public long SeenPower { get; set; }

    /// <summary>One evidence per (validator, type) is enough to prove misbehaviour and bounds memory.</summary>
    public bool[] EvidenceRecorded { get; }

    // Lookups only: no output depends on the order of these dictionaries. Per value, every distinct
    // signer counts, equivocators included (see VoteKeeper.AddVote).
    public Dictionary<Hash32, SignedVote?[]> PrevotesByValue { get; } = [];

    public Dictionary<Hash32, SignedVote?[]> PrecommitsByValue { get; } = [];

    public Dictionary<Hash32, long> PrevotePower { get; } = [];

    public Dictionary<Hash32, long> PrecommitPower { get; } = [];

    public SignedVote?[] PrevoteNil { get; private set; } = [];

    public SignedVote?[] PrecommitNil { get; private set; } = [];

    /// <summary>The votes for a value, if any arrived; unlike <see cref="ByValue"/>, adds nothing.</summary>
    public SignedVote?[]? FindByValue(bool prevote, Hash32? value) => value is not { } id
        ? (prevote ? PrevoteNil : PrecommitNil) is { Length: > 0 } nil ? nil : null
        : (prevote ? PrevotesByValue : PrecommitsByValue).GetValueOrDefault(id);

    public SignedVote?[] ByValue(bool prevote, Hash32? value)
    {
        if (value is not { } id)
        {
            if (prevote)
            {
                return PrevoteNil = PrevoteNil.Length == 0 ? new SignedVote?[Seen.Length] : PrevoteNil;
            }
            return PrecommitNil = PrecommitNil.Length == 0 ? new SignedVote?[Seen.Length] : PrecommitNil;
        }
        var map = prevote ? PrevotesByValue : PrecommitsByValue;
        if (!map.TryGetValue(id, out var votes))
        {
            votes = new SignedVote?[Seen.Length];
            map[id] = votes;
        }
        return votes;
    }

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
