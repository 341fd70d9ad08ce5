using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.GovernanceSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class MembershipTests
{
    private const string NewPost = "cn-post-khorgos";

    private static MembershipChange AddPost(string id = NewPost, string checkpoint = Khorgos)
    {
        var org = new Organisation { Id = id, Name = "Khorgos customs post", Country = "CN", Roles = { Role.CustomsPost }, Checkpoints = { checkpoint } };
        org.Keys.Add(KeyOf(id));
        return new MembershipChange { AddOrganisation = org };
    }

    private static Action<TxBody> Proposing(MembershipChange change) =>
        b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = "test" };

    private static Action<TxBody> Approving(string proposalId) =>
        b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposalId };

    [Fact]
    public void With_four_governing_organisations_a_change_applies_at_the_third_approval_not_the_second()
    {
        var ledger = new TestLedger();
        var id = ProposalId(ledger.SubmitOk(KzChamber, Proposing(AddPost())));
        ledger.SubmitOk(CnCustoms, Approving(id));

        ledger.State.Proposal(id)!.Applied.Should().BeFalse("2 of 4 is not more than two thirds");
        ledger.State.Organisation(NewPost).Should().BeNull();

        ledger.SubmitOk(KzCustoms, Approving(id));

        var proposal = ledger.State.Proposal(id)!;
        proposal.Applied.Should().BeTrue("3 of 4 is more than two thirds");
        proposal.Approvals.Should().Equal(CnCustoms, KzChamber, KzCustoms);
        var added = ledger.State.Organisation(NewPost)!;
        added.Keys.Single().ValidFromMs.Should().Be(ledger.TimeMs - TestLedger.BlockIntervalMs, "its keys are valid from the block that applied the change");
        ledger.State.Organisations().Select(o => o.Organisation.Id).Should().Contain(NewPost);
    }

    [Fact]
    public void Approvals_count_only_from_organisations_governing_when_the_threshold_is_checked()
    {
        var ledger = new TestLedger();
        var id = ProposalId(ledger.SubmitOk(CnChamber, Proposing(AddPost())));
        Pass(ledger, Suspend(CnChamber));

        ledger.SubmitOk(KzChamber, Approving(id));
        ledger.SubmitOk(CnCustoms, Approving(id));

        ledger.State.Proposal(id)!.Applied.Should().BeFalse("the suspended chamber's approval no longer counts: 2 of 3 is not more than two thirds");

        ledger.SubmitOk(KzCustoms, Approving(id));

        ledger.State.Proposal(id)!.Applied.Should().BeTrue();
        ledger.State.Organisation(NewPost).Should().NotBeNull();
    }

    [Fact]
    public void An_organisation_admitted_while_a_proposal_is_pending_raises_its_threshold_and_may_approve_it()
    {
        var ledger = new TestLedger();
        var id = ProposalId(ledger.SubmitOk(KzChamber, Proposing(AddPost())));
        var newcomer = new Organisation { Id = "uz-chamber", Name = "Chamber of Uzbekistan", Country = "UZ", Roles = { Role.Chamber }, Keys = { KeyOf("uz-chamber") } };
        Pass(ledger, new MembershipChange { AddOrganisation = newcomer });

        ledger.SubmitOk(CnCustoms, Approving(id));
        ledger.SubmitOk(KzCustoms, Approving(id));

        ledger.State.Proposal(id)!.Applied.Should().BeFalse("3 of 5 governing organisations is not more than two thirds");

        ledger.SubmitOk("uz-chamber", Approving(id));

        ledger.State.Proposal(id)!.Applied.Should().BeTrue("4 of 5, the newcomer's approval among them");
        ledger.State.Organisation(NewPost).Should().NotBeNull();
    }

    [Fact]
    public void Approving_a_proposal_twice_is_refused()
    {
        var ledger = new TestLedger();
        var id = ProposalId(ledger.SubmitOk(KzChamber, Proposing(AddPost())));

        ledger.SubmitRefused(KzChamber, Approving(id), RuleCatalog.ProposalAlreadyApproved, $"'{KzChamber}'", id);

        ledger.State.Proposal(id)!.Approvals.Should().Equal(KzChamber);
    }

    [Fact]
    public void Approving_an_unknown_proposal_is_refused()
    {
        var ledger = new TestLedger();
        var unknown = new string('a', 64);

        ledger.SubmitRefused(KzChamber, Approving(unknown), RuleCatalog.ProposalUnknown, "proposal_id", unknown);
    }

    [Fact]
    public void Approving_an_applied_proposal_is_refused()
    {
        var ledger = new TestLedger();
        var id = Pass(ledger, AddPost());

        ledger.SubmitRefused(CnChamber, Approving(id), RuleCatalog.ProposalAlreadyApplied, id);
    }

    [Fact]
    public void Proposing_to_add_an_organisation_that_exists_is_refused()
    {
        var ledger = new TestLedger();
        var existing = AddPost(id: PostDostyk, checkpoint: Dostyk);

        var receipt = ledger.SubmitRefused(KzChamber, Proposing(existing), RuleCatalog.MembershipChangeInvalid, $"'{PostDostyk}'", "exists already");

        ledger.State.Proposal(ProposalId(receipt)).Should().BeNull();
    }

    [Fact]
    public void Proposing_to_add_an_organisation_with_a_malformed_id_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(AddPost(id: "Khorgos Post")), RuleCatalog.MembershipChangeInvalid, "'Khorgos Post'", RuleCatalog.RequiredFieldMissing);
    }

    [Fact]
    public void Proposing_to_add_a_customs_post_for_a_checkpoint_not_in_the_registry_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(AddPost(checkpoint: "CN-NOWHERE")), RuleCatalog.MembershipChangeInvalid, $"'{NewPost}'", "'CN-NOWHERE'");
    }

    [Fact]
    public void Proposing_no_change_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(new MembershipChange()), RuleCatalog.MembershipChangeInvalid, "change");
    }

    [Fact]
    public void Rotating_a_key_the_organisation_does_not_hold_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(Rotate(CnChamber, 7, 8)), RuleCatalog.MembershipChangeInvalid, $"'{CnChamber}'", "no such active key");
    }

    [Fact]
    public void Adding_a_key_the_organisation_already_had_is_refused()
    {
        var ledger = new TestLedger();
        var change = new MembershipChange { AddKey = new OrganisationKey { OrganisationId = CnChamber, Key = KeyOf(CnChamber) } };

        ledger.SubmitRefused(KzChamber, Proposing(change), RuleCatalog.MembershipChangeInvalid, $"'{CnChamber}'", "never reused");
    }

    [Fact]
    public void Suspending_an_organisation_that_does_not_exist_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(Suspend("ru-chamber")), RuleCatalog.MembershipChangeInvalid, "'ru-chamber'", "does not exist");
    }

    [Fact]
    public void Suspending_a_suspended_organisation_or_reinstating_an_active_one_is_refused()
    {
        var ledger = new TestLedger();
        ledger.SubmitRefused(KzChamber, Proposing(Reinstate(CnChamber)), RuleCatalog.MembershipChangeInvalid, $"'{CnChamber}'", "not suspended");
        Pass(ledger, Suspend(CnChamber));

        ledger.SubmitRefused(KzChamber, Proposing(Suspend(CnChamber)), RuleCatalog.MembershipChangeInvalid, $"'{CnChamber}'", "already suspended");
    }

    [Fact]
    public void A_proposal_overtaken_by_an_earlier_one_is_refused_when_its_threshold_is_reached()
    {
        var ledger = new TestLedger();
        var second = ProposalId(ledger.SubmitOk(CnChamber, Proposing(AddPost())));
        ledger.SubmitOk(CnCustoms, Approving(second));
        Pass(ledger, AddPost());
        var before = ledger.RecordBytes("proposal/" + second);

        ledger.SubmitRefused(KzCustoms, Approving(second), RuleCatalog.MembershipChangeInvalid, $"'{NewPost}'", "exists already");

        ledger.RecordBytes("proposal/" + second).Should().Be(before);
        ledger.State.Proposal(second)!.Applied.Should().BeFalse();
    }
}
