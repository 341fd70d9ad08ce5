using Ledger.Client.Tests.Support;
using Ledger.Contracts.Crypto;
using Ledger.Wire;
using static Ledger.Client.Tests.Support.Corridor;

namespace Ledger.Client.Tests;

/// <summary>The governance methods of the client (issue 19): a proposal of each kind, approvals, and proven reads of proposals.</summary>
public sealed class GovernanceClientTests : IAsyncLifetime
{
    private const string Reason = "test";
    private readonly FakeNetwork _network = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _network.DisposeAsync();

    private GovernanceClient Member(string org, params string[] nodes) => new(_network.Client(nodes.Length == 0 ? ["honest"] : nodes), _network.Corridor.Signer(org));

    /// <summary>Two more approvals: with four governing organisations the third applies the change.</summary>
    private async Task PassAsync(string proposalId)
    {
        await Member(CnCustoms).ApproveAsync(proposalId);
        await Member(KzCustoms).ApproveAsync(proposalId);
    }

    private static PublicKey NewKey() => SignatureSuites.Generate(KeySuite.Ed25519).Public;

    [Fact]
    public async Task A_proposal_is_pending_until_more_than_two_thirds_approve_then_applied_and_read_proven()
    {
        var chamber = Member(KzChamber);
        var newcomer = new Organisation { Id = "uz-chamber", Name = "Chamber of Uzbekistan", Country = "UZ", Roles = { Role.Chamber }, Keys = { NewKey() } };

        var proposed = await chamber.ProposeAddOrganisationAsync(newcomer, "Uzbekistan joins");
        var pending = await chamber.Node.GetProposalAsync(proposed.ProposalId);
        await Member(CnCustoms).ApproveAsync(proposed.ProposalId);
        var stillPending = await chamber.Node.ListProposalsAsync(pendingOnly: true);
        await Member(KzCustoms).ApproveAsync(proposed.ProposalId);
        var applied = await chamber.Node.GetProposalAsync(proposed.ProposalId);

        proposed.ProposalId.Should().Be(Convert.ToHexStringLower(proposed.Receipt.Receipt.TxId.Span));
        pending.Trust.Should().Be(AnswerTrust.Proven);
        pending.Proposal!.Applied.Should().BeFalse();
        pending.Proposal.Approvals.Should().Equal(KzChamber);
        pending.Proposal.Change.AddOrganisation.Should().Be(newcomer);
        stillPending.Proposals.Select(p => p.Id).Should().Equal(proposed.ProposalId);
        stillPending.Trust.Should().Be(AnswerTrust.Proven);
        applied.Proposal!.Applied.Should().BeTrue();
        applied.Proposal.Approvals.Should().Equal(CnCustoms, KzChamber, KzCustoms);
        (await chamber.Node.ListProposalsAsync(pendingOnly: true)).Proposals.Should().BeEmpty();
        (await chamber.Node.ListProposalsAsync()).Proposals.Should().ContainSingle().Which.Applied.Should().BeTrue();
    }

    [Fact]
    public async Task Each_membership_and_registry_kind_is_proposed_as_its_change()
    {
        var chamber = Member(KzChamber);
        var key = NewKey();
        var replacement = NewKey();
        var checkpoint = new CheckpointInfo { Code = "KZ-ALTYNKOL", Name = "Altynkol", Country = "KZ", GaugeMm = 1520, Kind = CheckpointKind.RailBorder };

        var proposals = new List<ProposalSubmitted>
        {
            await chamber.ProposeAddKeyAsync(CnChamber, key, Reason),
            await chamber.ProposeSuspendAsync(PostAlmaty, Reason),
            await chamber.ProposeAddCheckpointAsync(checkpoint, Reason),
            await chamber.ProposeCloseCheckpointAsync("KZ-ALMATY", Reason),
            await chamber.ProposeRegisterPostAsync(PostDostyk, [Dostyk], Reason),
        };
        foreach (var proposal in proposals)
        {
            await PassAsync(proposal.ProposalId);
        }
        proposals.Add(await chamber.ProposeRotateKeyAsync(CnChamber, key, replacement, Reason));
        await PassAsync(proposals[^1].ProposalId);
        proposals.Add(await chamber.ProposeRevokeKeyAsync(CnChamber, replacement, Reason));
        await PassAsync(proposals[^1].ProposalId);
        proposals.Add(await chamber.ProposeReinstateAsync(PostAlmaty, Reason));
        await PassAsync(proposals[^1].ProposalId);

        var listed = await chamber.Node.ListProposalsAsync();

        listed.Proposals.Select(p => p.Id).Should().Equal(proposals.Select(p => p.ProposalId));
        listed.Proposals.Should().OnlyContain(p => p.Applied && p.Reason == Reason);
        listed.Proposals.Select(p => p.Change.ChangeCase).Should().Equal(
            MembershipChange.ChangeOneofCase.AddKey, MembershipChange.ChangeOneofCase.SuspendOrganisation, MembershipChange.ChangeOneofCase.AddCheckpoint,
            MembershipChange.ChangeOneofCase.CloseCheckpoint, MembershipChange.ChangeOneofCase.RegisterPost, MembershipChange.ChangeOneofCase.RotateKey,
            MembershipChange.ChangeOneofCase.RevokeKey, MembershipChange.ChangeOneofCase.ReinstateOrganisation);
        listed.Proposals[2].Change.AddCheckpoint.Should().Be(checkpoint);
        listed.Proposals[5].Change.RotateKey.Should().Be(new RotateKey { OrganisationId = CnChamber, OldKey = key, NewKey = replacement });
    }

    [Fact]
    public async Task Validator_changes_are_sent_as_their_kind_and_judged_by_the_validator_rules()
    {
        var chamber = Member(KzChamber);
        var refusals = new (Func<Task> Call, string Named)[]
        {
            (() => chamber.ProposeAddValidatorAsync(new Validator { OrganisationId = CnCustoms, Key = NewKey(), Power = 1 }, Reason), "already runs validator 2"),
            (() => chamber.ProposeRemoveValidatorAsync(KzCustoms, ["evidence/3/7/0/prevote"], Reason), "names no committed evidence"),
            (() => chamber.ProposeRotateValidatorKeyAsync(CnCustoms, NewKey(), NewKey(), Reason), "old_key is not the consensus key"),
        };
        foreach (var (call, named) in refusals)
        {
            (await call.Should().ThrowAsync<LedgerRefusedException>())
                .Which.Should().Match<LedgerRefusedException>(e => e.Code == "MEMBERSHIP_CHANGE_INVALID" && e.Reason.Contains(named, StringComparison.Ordinal));
        }

        var power = await chamber.ProposeValidatorPowerAsync(CnCustoms, 2, Reason);

        power.ProposalId.Should().HaveLength(64, "a power change the rules allow is proposed");
    }

    [Fact]
    public async Task A_node_that_leaves_a_pending_proposal_out_of_the_list_is_caught()
    {
        var proposed = await Member(KzChamber).ProposeSuspendAsync(PostAlmaty, Reason);
        _network.Node("liar").LieAboutProposals = list => list.Proposals.Clear();

        var act = () => _network.Client("liar").ListProposalsAsync(pendingOnly: true);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.AnswerContradictsProof);
        (await _network.Client("honest").ListProposalsAsync(pendingOnly: true)).Proposals.Select(p => p.Id).Should().Equal(proposed.ProposalId);
    }

    [Fact]
    public async Task A_node_that_says_a_pending_proposal_applied_is_caught_and_an_unknown_one_is_proven_absent()
    {
        var proposed = await Member(KzChamber).ProposeSuspendAsync(PostAlmaty, Reason);
        _network.Node("liar").LieAboutProposal = answer => answer.Proposal.Applied = true;

        var act = () => _network.Client("liar").GetProposalAsync(proposed.ProposalId);
        var unknown = await _network.Client("honest").GetProposalAsync(new string('a', 64));

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.AnswerContradictsProof);
        unknown.Found.Should().BeFalse();
        unknown.Trust.Should().Be(AnswerTrust.Proven);
    }
}
