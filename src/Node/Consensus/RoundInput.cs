using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// Digested events fed to <see cref="RoundStateMachine"/>. The driver builds them from the vote keeper, so
/// each already states the condition of one rule of Algorithm 1 (the paper's line in each summary).
/// </summary>
public abstract record RoundInput
{
    private RoundInput()
    {
    }

    /// <summary>L11 StartRound(round). The driver knows the validator set, so it says who proposes.</summary>
    public sealed record StartRound(int Round, bool IsProposer) : RoundInput;

    /// <summary>L18 getValue() answered by the host's block source.</summary>
    public sealed record ProposeValue(int Round, Hash32 Value) : RoundInput;

    /// <summary>L22: proposal of the current round with vr = -1, and valid(v).</summary>
    public sealed record ProposalReceived(int Round, Hash32 Value, int ValidRound, bool IsValid) : RoundInput;

    /// <summary>L28: proposal of the current round with vr ≥ 0 and 2f+1 prevotes for v in round vr.</summary>
    public sealed record ProposalWithPolkaPrevious(int Round, Hash32 Value, int ValidRound, bool IsValid) : RoundInput;

    /// <summary>L34: 2f+1 prevotes for anything in the current round.</summary>
    public sealed record PolkaAny(int Round) : RoundInput;

    /// <summary>L36: proposal of the current round and 2f+1 prevotes for it in the current round.</summary>
    public sealed record ProposalWithPolkaCurrent(int Round, Hash32 Value, bool IsValid) : RoundInput;

    /// <summary>L44: 2f+1 prevotes for nil in the current round.</summary>
    public sealed record PolkaNil(int Round) : RoundInput;

    /// <summary>L47: 2f+1 precommits for anything in the current round.</summary>
    public sealed record PrecommitAny(int Round) : RoundInput;

    /// <summary>L49: 2f+1 precommits for v in round r (ANY round of the height) and the block v is held.</summary>
    public sealed record CommitQuorum(int Round, Hash32 Value, bool IsValid) : RoundInput;

    /// <summary>L55: messages of a higher round from validators holding more than a third of the power.</summary>
    public sealed record RoundSkip(int Round) : RoundInput;

    /// <summary>L57 OnTimeoutPropose.</summary>
    public sealed record TimeoutPropose(ulong Height, int Round) : RoundInput;

    /// <summary>L61 OnTimeoutPrevote.</summary>
    public sealed record TimeoutPrevote(ulong Height, int Round) : RoundInput;

    /// <summary>L65 OnTimeoutPrecommit.</summary>
    public sealed record TimeoutPrecommit(ulong Height, int Round) : RoundInput;
}
