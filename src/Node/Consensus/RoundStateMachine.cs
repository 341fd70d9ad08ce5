using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// Algorithm 1 of "The latest gossip on BFT consensus" (Buchman, Kwon, Milosevic, arXiv:1807.04938) for
/// one height, as a pure function <c>apply(state, input) -> (state, outputs)</c>. It holds no votes and
/// does no I/O: the vote keeper decides when a rule's condition holds, this class decides what the rule
/// does. Every branch names the paper's line so that it can be checked against the paper.
/// </summary>
public static class RoundStateMachine
{
    public static RoundTransition Apply(RoundState state, RoundInput input)
    {
        // After L49 the height is over: later quorums or timeouts must not move a decided node.
        if (state.Step == RoundStep.Commit)
        {
            return RoundTransition.Unchanged(state);
        }

        return input switch
        {
            RoundInput.StartRound i => StartRound(state, i),
            RoundInput.ProposeValue i => ProposeValue(state, i),
            RoundInput.ProposalReceived i => OnProposal(state, i),
            RoundInput.ProposalWithPolkaPrevious i => OnProposalWithPolkaPrevious(state, i),
            RoundInput.PolkaAny i => OnPolkaAny(state, i),
            RoundInput.ProposalWithPolkaCurrent i => OnProposalWithPolkaCurrent(state, i),
            RoundInput.PolkaNil i => OnPolkaNil(state, i),
            RoundInput.PrecommitAny i => OnPrecommitAny(state, i),
            RoundInput.CommitQuorum i => OnCommitQuorum(state, i),
            RoundInput.RoundSkip i => OnRoundSkip(state, i),
            RoundInput.TimeoutPropose i => OnTimeoutPropose(state, i),
            RoundInput.TimeoutPrevote i => OnTimeoutPrevote(state, i),
            RoundInput.TimeoutPrecommit i => OnTimeoutPrecommit(state, i),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown round input"),
        };
    }

    // L11-L21 StartRound(round). A round never goes back; Unstarted lets a restart re-enter its own round.
    private static RoundTransition StartRound(RoundState s, RoundInput.StartRound i)
    {
        if (i.Round < 0 || (s.Step != RoundStep.Unstarted && i.Round <= s.Round))
        {
            return RoundTransition.Unchanged(s);
        }
        var next = s with
        {
            Round = i.Round,
            Step = RoundStep.Propose,
            PrevoteTimeoutScheduled = false,
            PrecommitTimeoutScheduled = false,
            PolkaValueHandled = false,
        };
        if (!i.IsProposer)
        {
            // L21: schedule OnTimeoutPropose(h_p, round_p).
            return new(next, [new RoundOutput.ScheduleTimeout(RoundStep.Propose, i.Round)]);
        }
        if (s.ValidValue is { } valid)
        {
            // L15-L16: re-propose the valid value with its round, so others can check L28.
            return new(next, [new RoundOutput.Propose(s.Height, i.Round, valid, s.ValidRound)]);
        }
        // L18: getValue().
        return new(next, [new RoundOutput.RequestValue(i.Round)]);
    }

    // L19: broadcast ⟨PROPOSAL, h_p, round_p, proposal, validRound_p⟩ with the fresh value (validRound_p = -1).
    private static RoundTransition ProposeValue(RoundState s, RoundInput.ProposeValue i)
    {
        if (s.Step != RoundStep.Propose || i.Round != s.Round)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s, [new RoundOutput.Propose(s.Height, s.Round, i.Value, s.ValidRound)]);
    }

    // L22-L27: a fresh proposal (vr = -1) while step = propose.
    private static RoundTransition OnProposal(RoundState s, RoundInput.ProposalReceived i)
    {
        if (s.Step != RoundStep.Propose || i.Round != s.Round || i.ValidRound != -1)
        {
            return RoundTransition.Unchanged(s);
        }
        // L23: vote for v only if valid and not locked on something else.
        var acceptable = i.IsValid && (s.LockedRound == -1 || s.LockedValue == i.Value);
        return Prevote(s, acceptable ? i.Value : null);
    }

    // L28-L33: a re-proposal with vr < round_p backed by 2f+1 prevotes of round vr.
    private static RoundTransition OnProposalWithPolkaPrevious(RoundState s, RoundInput.ProposalWithPolkaPrevious i)
    {
        if (s.Step != RoundStep.Propose || i.Round != s.Round || i.ValidRound < 0 || i.ValidRound >= s.Round)
        {
            return RoundTransition.Unchanged(s);
        }
        // L29: a lock from a round no later than vr may be released by the newer polka.
        var acceptable = i.IsValid && (s.LockedRound <= i.ValidRound || s.LockedValue == i.Value);
        return Prevote(s, acceptable ? i.Value : null);
    }

    // L34-L35: 2f+1 prevotes for anything while step = prevote, for the first time in this round.
    private static RoundTransition OnPolkaAny(RoundState s, RoundInput.PolkaAny i)
    {
        if (s.Step != RoundStep.Prevote || i.Round != s.Round || s.PrevoteTimeoutScheduled)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s with { PrevoteTimeoutScheduled = true },
            [new RoundOutput.ScheduleTimeout(RoundStep.Prevote, s.Round)]);
    }

    // L36-L43: proposal and 2f+1 prevotes for it, valid, step ≥ prevote, for the first time in this round.
    private static RoundTransition OnProposalWithPolkaCurrent(RoundState s, RoundInput.ProposalWithPolkaCurrent i)
    {
        if (!i.IsValid || i.Round != s.Round || s.Step < RoundStep.Prevote || s.PolkaValueHandled)
        {
            return RoundTransition.Unchanged(s);
        }
        // L42-L43 run even when step is already precommit (after L44 or L61): the valid value must follow
        // the newest polka so that the next proposer from this node re-proposes it.
        var next = s with { PolkaValueHandled = true, ValidValue = i.Value, ValidRound = s.Round };
        if (s.Step != RoundStep.Prevote)
        {
            return new(next, []);
        }
        // L37-L41: lock and precommit v.
        next = next with { LockedValue = i.Value, LockedRound = s.Round, Step = RoundStep.Precommit };
        return new(next, [new RoundOutput.CastVote(VoteType.Precommit, s.Height, s.Round, i.Value)]);
    }

    // L44-L46: 2f+1 prevotes for nil while step = prevote.
    private static RoundTransition OnPolkaNil(RoundState s, RoundInput.PolkaNil i)
    {
        if (s.Step != RoundStep.Prevote || i.Round != s.Round)
        {
            return RoundTransition.Unchanged(s);
        }
        return Precommit(s, null);
    }

    // L47-L48: 2f+1 precommits for anything, for the first time in this round (any step).
    private static RoundTransition OnPrecommitAny(RoundState s, RoundInput.PrecommitAny i)
    {
        if (i.Round != s.Round || s.PrecommitTimeoutScheduled)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s with { PrecommitTimeoutScheduled = true },
            [new RoundOutput.ScheduleTimeout(RoundStep.Precommit, s.Round)]);
    }

    // L49-L54: 2f+1 precommits for v in round r, for ANY round r of this height, and valid(v).
    private static RoundTransition OnCommitQuorum(RoundState s, RoundInput.CommitQuorum i)
    {
        if (!i.IsValid || s.Decision is not null)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s with { Decision = i.Value, Step = RoundStep.Commit }, [new RoundOutput.Decide(i.Round, i.Value)]);
    }

    // L55-L56: f+1 messages of a higher round: at least one correct process is there, so follow it.
    private static RoundTransition OnRoundSkip(RoundState s, RoundInput.RoundSkip i)
    {
        if (i.Round <= s.Round)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s, [new RoundOutput.NewRound(i.Round)]);
    }

    // L57-L60: the paper's condition is step = propose (some copies misprint prevote here).
    private static RoundTransition OnTimeoutPropose(RoundState s, RoundInput.TimeoutPropose i)
    {
        if (i.Height != s.Height || i.Round != s.Round || s.Step != RoundStep.Propose)
        {
            return RoundTransition.Unchanged(s);
        }
        return Prevote(s, null);
    }

    // L61-L64.
    private static RoundTransition OnTimeoutPrevote(RoundState s, RoundInput.TimeoutPrevote i)
    {
        if (i.Height != s.Height || i.Round != s.Round || s.Step != RoundStep.Prevote)
        {
            return RoundTransition.Unchanged(s);
        }
        return Precommit(s, null);
    }

    // L65-L67: no step condition in the paper.
    private static RoundTransition OnTimeoutPrecommit(RoundState s, RoundInput.TimeoutPrecommit i)
    {
        if (i.Height != s.Height || i.Round != s.Round)
        {
            return RoundTransition.Unchanged(s);
        }
        return new(s, [new RoundOutput.NewRound(s.Round + 1)]);
    }

    private static RoundTransition Prevote(RoundState s, Hash32? value) =>
        new(s with { Step = RoundStep.Prevote }, [new RoundOutput.CastVote(VoteType.Prevote, s.Height, s.Round, value)]);

    private static RoundTransition Precommit(RoundState s, Hash32? value) =>
        new(s with { Step = RoundStep.Precommit }, [new RoundOutput.CastVote(VoteType.Precommit, s.Height, s.Round, value)]);
}
