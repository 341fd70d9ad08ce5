using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// The last line against double signing. Signatures only move forward in (height, round, type) order; asked
/// to sign the same (height, round, type) again, the guard hands back the message it signed before if the
/// value is the same and refuses otherwise. Its memory, <see cref="LastSigned"/>, goes into the write-ahead
/// record, so the rule survives a restart.
/// </summary>
internal sealed class SigningGuard
{
    private readonly string _chainId;
    private readonly IConsensusSigner _signer;

    public SigningGuard(string chainId, IConsensusSigner signer, ConsensusMessage? lastSigned)
    {
        _chainId = chainId;
        _signer = signer;
        LastSigned = lastSigned;
    }

    public ConsensusMessage? LastSigned { get; private set; }

    /// <summary>Loads the last signature from the write-ahead record, before anything is signed.</summary>
    public void Restore(ConsensusMessage? lastSigned) => LastSigned = lastSigned;

    /// <summary>The proposal signed for (height, round), if it is the last thing signed.</summary>
    public SignedProposal? ProposalSignedFor(ulong height, int round) =>
        LastSigned is SignedProposal p && p.Height == height && p.Round == round ? p : null;

    public SignedProposal? SignProposal(ulong height, int round, Hash32 value, int validRound)
    {
        var (permission, previous) = Check(height, round, ConsensusSignBytes.ProposalType, value);
        if (permission != Permission.Sign)
        {
            return previous as SignedProposal;
        }
        var signature = _signer.Sign(ConsensusSignBytes.ForProposal(_chainId, height, round, value, validRound));
        var proposal = new SignedProposal(height, round, value, validRound, _signer.ValidatorIndex, signature);
        LastSigned = proposal;
        return proposal;
    }

    public SignedVote? SignVote(VoteType type, ulong height, int round, Hash32? value)
    {
        var typeByte = type == VoteType.Prevote ? ConsensusSignBytes.PrevoteType : ConsensusSignBytes.PrecommitType;
        var (permission, previous) = Check(height, round, typeByte, value);
        if (permission != Permission.Sign)
        {
            return previous as SignedVote;
        }
        var signature = _signer.Sign(ConsensusSignBytes.ForVote(_chainId, type, height, round, value));
        var vote = new SignedVote(type, height, round, value, _signer.ValidatorIndex, signature);
        LastSigned = vote;
        return vote;
    }

    /// <summary>Signing requests refused since start: each one is a bug or a bad restore.</summary>
    public long Refused { get; private set; }

    private enum Permission
    {
        Sign,
        Resend,
        Refuse,
    }

    private (Permission, ConsensusMessage?) Check(ulong height, int round, byte type, Hash32? value)
    {
        if (LastSigned is not { } last)
        {
            return (Permission.Sign, null);
        }
        var (lastType, lastValue) = last switch
        {
            SignedProposal p => (ConsensusSignBytes.ProposalType, (Hash32?)p.Value),
            SignedVote v => (v.Type == VoteType.Prevote ? ConsensusSignBytes.PrevoteType : ConsensusSignBytes.PrecommitType, v.Value),
            _ => throw new InvalidOperationException("only proposals and votes are signed"),
        };
        var order = Compare(height, round, Rank(type), last.Height, last.Round, Rank(lastType));
        if (order > 0)
        {
            return (Permission.Sign, null);
        }
        if (order == 0 && lastValue == value)
        {
            return (Permission.Resend, last);
        }
        Refused++;
        return (Permission.Refuse, null);
    }

    // Within a round a validator signs its proposal, then its prevote, then its precommit.
    private static int Rank(byte type) => type switch
    {
        ConsensusSignBytes.ProposalType => 0,
        ConsensusSignBytes.PrevoteType => 1,
        _ => 2,
    };

    private static int Compare(ulong h1, int r1, int t1, ulong h2, int r2, int t2)
    {
        if (h1 != h2)
        {
            return h1.CompareTo(h2);
        }
        return r1 != r2 ? r1.CompareTo(r2) : t1.CompareTo(t2);
    }
}
