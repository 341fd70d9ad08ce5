using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>Governance: propose a membership change, approve it, apply it once more than two thirds approve.</summary>
public static class MembershipContract
{
    public static Refusal? Propose(TxContext ctx, ProposeMembershipChange tx)
    {
        if (tx.Change is null || tx.Change.ChangeCase == MembershipChange.ChangeOneofCase.None)
        {
            return new Refusal(RuleCatalog.MembershipChangeInvalid, "propose_membership_change.change names no change");
        }
        var refusal = MembershipChanges.Check(ctx.State, tx.Change, ctx.Block.Height);
        if (refusal is not null)
        {
            return refusal;
        }
        var proposal = new ProposalRecord { Id = ctx.TxId.ToString(), Change = tx.Change, Reason = tx.Reason, Proposer = ctx.SignerId };
        proposal.Approvals.Add(ctx.SignerId);
        ctx.State.IndexProposal(proposal.Id);
        return ApplyWhenReached(ctx, proposal);
    }

    public static Refusal? Approve(TxContext ctx, ApproveMembershipChange tx)
    {
        var proposal = ctx.State.Proposal(tx.ProposalId);
        if (proposal is null)
        {
            return new Refusal(RuleCatalog.ProposalUnknown, $"proposal_id '{tx.ProposalId}' names no membership proposal");
        }
        if (proposal.Applied)
        {
            return new Refusal(RuleCatalog.ProposalAlreadyApplied, $"proposal {proposal.Id} was already applied");
        }
        if (proposal.Approvals.Contains(ctx.SignerId))
        {
            return new Refusal(RuleCatalog.ProposalAlreadyApproved, $"'{ctx.SignerId}' already approved proposal {proposal.Id}");
        }
        var approvals = proposal.Approvals.Append(ctx.SignerId).Order(StringComparer.Ordinal).ToArray();
        proposal.Approvals.Clear();
        proposal.Approvals.AddRange(approvals);
        return ApplyWhenReached(ctx, proposal);
    }

    private static Refusal? ApplyWhenReached(TxContext ctx, ProposalRecord proposal)
    {
        if (Governance.Reached(proposal.Approvals, Governance.GoverningIds(ctx.State)))
        {
            // The state may have moved since the proposal: check again before applying.
            var refusal = MembershipChanges.Check(ctx.State, proposal.Change, ctx.Block.Height);
            if (refusal is not null)
            {
                return refusal;
            }
            MembershipChanges.Apply(ctx.State, proposal.Change, ctx.Block.Height, ctx.Block.TimeMs);
            proposal.Applied = true;
        }
        ctx.State.Put(proposal);
        return null;
    }
}
