using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Support;

/// <summary>Membership changes pushed through governance, for tests that need one as a step.</summary>
public static class GovernanceSteps
{
    /// <summary>A proposal's id: the hex of its transaction id.</summary>
    public static string ProposalId(Receipt proposal) => Convert.ToHexStringLower(proposal.TxId.Span);

    public static Receipt Propose(TestLedger ledger, string proposer, MembershipChange change) =>
        ledger.Submit(proposer, b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = "test" });

    public static Receipt Approve(TestLedger ledger, string approver, string proposalId) =>
        ledger.Submit(approver, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposalId });

    /// <summary>
    /// Proposed by the Kazakh chamber and approved by both customs: three governing organisations,
    /// enough whether the Chinese chamber governs (3 of 4) or is suspended (3 of 3).
    /// </summary>
    public static string Pass(TestLedger ledger, MembershipChange change)
    {
        var proposal = Propose(ledger, KzChamber, change);
        proposal.Code.Should().Be("OK", "the proposal is valid: {0}", proposal.Message);
        var id = ProposalId(proposal);
        foreach (var approver in new[] { CnCustoms, KzCustoms })
        {
            var approval = Approve(ledger, approver, id);
            approval.Code.Should().Be("OK", "the approval is valid: {0}", approval.Message);
        }
        ledger.State.Proposal(id)!.Applied.Should().BeTrue("three governing organisations approved");
        return id;
    }

    public static MembershipChange Rotate(string orgId, int fromGeneration, int toGeneration) => new()
    {
        RotateKey = new RotateKey { OrganisationId = orgId, OldKey = KeyOf(orgId, fromGeneration), NewKey = KeyOf(orgId, toGeneration) },
    };

    public static MembershipChange Suspend(string orgId) => new() { SuspendOrganisation = orgId };

    public static MembershipChange Reinstate(string orgId) => new() { ReinstateOrganisation = orgId };
}
