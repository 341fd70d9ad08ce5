using Ledger.Contracts.Consensus;
using Ledger.Contracts.Membership;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.GovernanceSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class ValidatorChangeTests
{
    private const string Uzbek = "uz-chamber";

    private static ValidatorSets Rosters(TestLedger ledger) =>
        new(ChainId, LedgerState.ReadValidatorSchedule(ledger.Reader, LedgerState.ReadConfig(ledger.Reader)));

    private static MembershipChange Admit(string id, params Role[] roles)
    {
        var org = new Organisation { Id = id, Name = "Chamber of Commerce and Industry of Uzbekistan", Country = "UZ" };
        org.Roles.AddRange(roles);
        org.Keys.Add(KeyOf(id));
        return new MembershipChange { AddOrganisation = org };
    }

    private static MembershipChange AddValidator(string id, long power = 1, string? keyName = null) =>
        new() { AddValidator = new Validator { OrganisationId = id, Key = KeyOf(keyName ?? id + "/validator"), Power = power } };

    private static MembershipChange Remove(string id, params string[] evidence)
    {
        var change = new RemoveValidator { OrganisationId = id };
        change.EvidenceKeys.AddRange(evidence);
        return new MembershipChange { RemoveValidator = change };
    }

    private static MembershipChange Power(string id, long power) => new() { SetValidatorPower = new ValidatorPower { OrganisationId = id, Power = power } };

    private static Receipt Refused(TestLedger ledger, MembershipChange change) => Propose(ledger, KzChamber, change);

    private static TestLedger WithUzbekValidator()
    {
        var ledger = new TestLedger();
        Pass(ledger, Admit(Uzbek, Role.Validator));
        Pass(ledger, AddValidator(Uzbek));
        return ledger;
    }

    [Fact]
    public void An_added_validator_is_in_force_two_heights_after_the_block_that_applied_the_change()
    {
        var ledger = new TestLedger();
        Pass(ledger, Admit(Uzbek, Role.Validator));
        Pass(ledger, AddValidator(Uzbek));
        var applied = ledger.Height;

        var rosters = Rosters(ledger);
        rosters.At(applied + 1).Set.Members.Should().HaveCount(4, "the block after the change is still signed by the old set");
        rosters.At(applied + 2).Set.Members.Should().HaveCount(5);
        rosters.At(applied + 2).FromHeight.Should().Be(applied + 2);
        rosters.At(applied + 2).OrganisationOf(4).Should().Be(Uzbek, "a new validator takes the next roster position");
        rosters.At(applied + 2).Hash.Should().NotBe(rosters.At(applied + 1).Hash);
    }

    [Fact]
    public void A_removed_validator_keeps_its_position_at_power_zero_and_comes_back_there_under_a_new_key()
    {
        var ledger = WithUzbekValidator();
        Pass(ledger, Remove(CnChamber));
        var removed = Rosters(ledger).Latest;
        removed.Set.Contains(0).Should().BeFalse();
        removed.OrganisationOf(0).Should().Be(CnChamber, "positions are never reused");
        removed.Set.ProposerOf(0, 0).Should().NotBe(0, "a removed validator never proposes");

        Refused(ledger, AddValidator(CnChamber, keyName: CnChamber + "/validator")).Code
            .Should().Be(RuleCatalog.MembershipChangeInvalid, "a key is never reused");
        Pass(ledger, AddValidator(CnChamber, keyName: CnChamber + "/validator-2"));
        var back = Rosters(ledger).Latest;
        back.Set.Contains(0).Should().BeTrue();
        back.Roster.Should().HaveCount(5);
    }

    [Fact]
    public void The_set_keeps_at_least_four_validators()
    {
        var ledger = new TestLedger();
        var receipt = Refused(ledger, Remove(KzCustoms));

        receipt.Code.Should().Be(RuleCatalog.ValidatorSetTooSmall);
        receipt.Message.Should().Contain("at least 4");
        Rosters(ledger).All.Should().HaveCount(1, "a refused change schedules nothing");
    }

    [Fact]
    public void No_block_may_move_a_third_of_the_power_or_more()
    {
        var ledger = new TestLedger();
        Pass(ledger, Admit(Uzbek, Role.Validator));

        // 4 of 6 kept is not more than two thirds of the new total.
        Refused(ledger, AddValidator(Uzbek, power: 2)).Code.Should().Be(RuleCatalog.ValidatorChangeTooLarge);
        Refused(ledger, Power(CnChamber, 3)).Code.Should().Be(RuleCatalog.ValidatorChangeTooLarge);
        // 4 of 5: less than a third moves.
        Propose(ledger, KzChamber, AddValidator(Uzbek, power: 1)).Code.Should().Be(RuleCatalog.Ok);
    }

    [Fact]
    public void Two_changes_applied_in_one_block_are_judged_together_against_the_set_before_them()
    {
        var ledger = new TestLedger();
        Pass(ledger, Admit(Uzbek, Role.Validator));
        Pass(ledger, Admit("uz-customs", Role.Validator));
        var first = ProposalId(Propose(ledger, KzChamber, AddValidator(Uzbek)));
        var second = ProposalId(Propose(ledger, KzChamber, AddValidator("uz-customs")));
        Approve(ledger, CnCustoms, first).Code.Should().Be(RuleCatalog.Ok);
        Approve(ledger, CnCustoms, second).Code.Should().Be(RuleCatalog.Ok);

        var receipts = ledger.Execute([
            ledger.Decode(TestLedger.Body(KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = first })),
            ledger.Decode(TestLedger.Body(KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = second })),
        ]);

        receipts[0].Code.Should().Be(RuleCatalog.Ok);
        receipts[1].Code.Should().Be(RuleCatalog.ValidatorChangeTooLarge, "4 kept of 6 after both is not more than two thirds, though each alone would pass");
        Rosters(ledger).Latest.Set.Members.Should().HaveCount(5);
    }

    [Fact]
    public void A_validator_needs_an_active_organisation_with_the_validator_role()
    {
        var ledger = new TestLedger();
        Pass(ledger, Admit(Uzbek, Role.Chamber));

        Refused(ledger, AddValidator(Uzbek)).Message.Should().Contain("validator role");
        Refused(ledger, AddValidator("nobody")).Message.Should().Contain("names no organisation");
        Refused(ledger, AddValidator(KzChamber, keyName: "another")).Message.Should().Contain("already runs validator 1");
    }

    [Fact]
    public void A_rotated_validator_key_signs_from_two_heights_on_and_the_old_one_never_again()
    {
        var ledger = new TestLedger();
        var change = new MembershipChange
        {
            RotateValidatorKey = new RotateKey { OrganisationId = CnCustoms, OldKey = KeyOf(CnCustoms + "/validator"), NewKey = KeyOf(CnCustoms + "/validator-2") },
        };
        Pass(ledger, change);
        var applied = ledger.Height;

        var rosters = Rosters(ledger);
        rosters.At(applied + 1).Roster[2].Key.Should().Be(KeyOf(CnCustoms + "/validator"));
        rosters.At(applied + 2).Roster[2].Key.Should().Be(KeyOf(CnCustoms + "/validator-2"));
        rosters.Holding(KeyOf(CnCustoms + "/validator"))!.Value.Index.Should().Be(2, "the old key still names its position in the past");
        Refused(ledger, new MembershipChange
        {
            RotateValidatorKey = new RotateKey { OrganisationId = CnCustoms, OldKey = KeyOf(CnCustoms + "/validator"), NewKey = KeyOf("fresh") },
        }).Message.Should().Contain("old_key is not the consensus key");
    }

    [Fact]
    public void A_removal_may_name_only_committed_evidence_against_that_validator()
    {
        var ledger = WithUzbekValidator();

        var receipt = Refused(ledger, Remove(CnChamber, "evidence/0/7/0/prevote"));

        receipt.Code.Should().Be(RuleCatalog.MembershipChangeInvalid);
        receipt.Message.Should().Contain("names no committed evidence against validator 0");
    }

    [Fact]
    public void Positions_are_never_reused_so_the_roster_fills_up_and_then_refuses_additions()
    {
        var ledger = new TestLedger();
        for (var i = 0; i < ValidatorChanges.RosterMax - 4; i++)
        {
            var id = $"validator-{i}";
            Pass(ledger, Admit(id, Role.Validator));
            Pass(ledger, AddValidator(id));
        }
        Pass(ledger, Admit("one-too-many", Role.Validator));

        var receipt = Refused(ledger, AddValidator("one-too-many"));

        receipt.Code.Should().Be(RuleCatalog.ValidatorRosterFull);
        Rosters(ledger).Latest.Roster.Should().HaveCount(ValidatorChanges.RosterMax);
    }
}
