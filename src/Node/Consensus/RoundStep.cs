namespace Ledger.Node.Consensus;

/// <summary>The step of a round (arXiv:1807.04938, <c>step_p</c>), plus the two ends the paper leaves implicit.</summary>
public enum RoundStep
{
    /// <summary>The height is set up but StartRound (L11) has not run yet; also the state a restart resumes from.</summary>
    Unstarted = 0,
    Propose = 1,
    Prevote = 2,
    Precommit = 3,
    /// <summary>A value was decided (L49); nothing changes the round state after this.</summary>
    Commit = 4,
}
