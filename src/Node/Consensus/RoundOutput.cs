using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>What the state machine asks for. Intentions only: the driver signs, persists and sends.</summary>
public abstract record RoundOutput
{
    private RoundOutput()
    {
    }

    /// <summary>Broadcast ⟨PROPOSAL, h, round, v, vr⟩ (L19).</summary>
    public sealed record Propose(ulong Height, int Round, Hash32 Value, int ValidRound) : RoundOutput;

    /// <summary>Broadcast a prevote or precommit; a null value is nil.</summary>
    public sealed record CastVote(VoteType Type, ulong Height, int Round, Hash32? Value) : RoundOutput;

    /// <summary>Schedule OnTimeout{Propose,Prevote,Precommit} for this round of the current height.</summary>
    public sealed record ScheduleTimeout(RoundStep Step, int Round) : RoundOutput;

    /// <summary>L18 getValue(): this node proposes and has no valid value to re-propose.</summary>
    public sealed record RequestValue(int Round) : RoundOutput;

    /// <summary>StartRound(round) requested by L55 or L65; the driver answers with a StartRound input.</summary>
    public sealed record NewRound(int Round) : RoundOutput;

    /// <summary>decision_p[h_p] = v (L51).</summary>
    public sealed record Decide(int Round, Hash32 Value) : RoundOutput;
}
