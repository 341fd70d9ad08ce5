using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.GovernanceSteps;
using static Ledger.Contracts.Tests.Support.RouteSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

/// <summary>Checkpoints added and closed, and customs posts registered, by governance (issue 19).</summary>
public sealed class RegistryChangeTests
{
    private const string Altynkol = "KZ-ALTYNKOL";

    private static CheckpointInfo AltynkolInfo() =>
        new() { Code = Altynkol, Name = "Altynkol", Country = "KZ", GaugeMm = 1520, Kind = CheckpointKind.RailBorder };

    private static MembershipChange AddCheckpoint(CheckpointInfo info) => new() { AddCheckpoint = info };

    private static MembershipChange Close(string code) => new() { CloseCheckpoint = code };

    private static MembershipChange Register(string post, params string[] checkpoints) =>
        new() { RegisterPost = new PostRegistration { OrganisationId = post, Checkpoints = { checkpoints } } };

    private static Action<TxBody> Proposing(MembershipChange change) =>
        b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = "test" };

    [Fact]
    public void A_checkpoint_added_by_governance_is_in_the_registry_and_a_post_registered_there_records_at_it()
    {
        var ledger = new TestLedger();
        Pass(ledger, AddCheckpoint(AltynkolInfo()));
        Pass(ledger, Register(PostDostyk, Dostyk, Altynkol));

        ledger.State.Config.Checkpoints.Single(c => c.Code == Altynkol).Should().BeEquivalentTo(AltynkolInfo());
        ledger.State.Organisation(PostDostyk)!.Organisation.Checkpoints.Should().Equal(Altynkol, Dostyk);
        var t = Declared(ledger, d => d.Itinerary[2].Checkpoint = Altynkol);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));
        ledger.TimeMs = Math.Max(ledger.TimeMs, t + (DayMs * 3 / 2));
        var entry = Samples.Event(ConsignmentId, Altynkol, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2), "SEAL-A", "SEAL-B");
        ledger.SubmitOk(PostDostyk, b => b.RecordCheckpointEvent = entry);
    }

    [Fact]
    public void A_checkpoint_added_earlier_in_a_block_is_seen_by_the_transactions_after_it_in_that_block()
    {
        var ledger = new TestLedger();
        var proposal = ProposalId(ledger.SubmitOk(KzChamber, Proposing(AddCheckpoint(AltynkolInfo()))));
        ledger.SubmitOk(CnCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposal });

        var receipts = ledger.Execute(
        [
            ledger.Decode(TestLedger.Body(KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposal })),
            ledger.Decode(TestLedger.Body(KzChamber, Proposing(Register(PostDostyk, Altynkol)))),
        ]);

        receipts.Select(r => r.Code).Should().Equal(RuleCatalog.Ok, RuleCatalog.Ok);
    }

    [Fact]
    public void Adding_a_checkpoint_whose_code_is_in_the_registry_is_refused()
    {
        var ledger = new TestLedger();
        var dostyk = AltynkolInfo();
        dostyk.Code = Dostyk;

        ledger.SubmitRefused(KzChamber, Proposing(AddCheckpoint(dostyk)), RuleCatalog.MembershipChangeInvalid, $"'{Dostyk}'", "never reused");
    }

    [Theory]
    [InlineData("", "Altynkol", "KZ", 1520u, CheckpointKind.RailBorder, "code and a name")]
    [InlineData(Altynkol, "Altynkol", "Kazakhstan", 1520u, CheckpointKind.RailBorder, "'Kazakhstan'")]
    [InlineData(Altynkol, "Altynkol", "KZ", 1000u, CheckpointKind.RailBorder, "gauge_mm 1000")]
    [InlineData(Altynkol, "Altynkol", "KZ", 1520u, CheckpointKind.Unspecified, "needs a kind")]
    public void Adding_a_malformed_checkpoint_is_refused(string code, string name, string country, uint gaugeMm, CheckpointKind kind, string named)
    {
        var ledger = new TestLedger();
        var info = new CheckpointInfo { Code = code, Name = name, Country = country, GaugeMm = gaugeMm, Kind = kind };

        ledger.SubmitRefused(KzChamber, Proposing(AddCheckpoint(info)), RuleCatalog.MembershipChangeInvalid, "add_checkpoint", named);
    }

    [Fact]
    public void Adding_a_checkpoint_already_closed_is_refused()
    {
        var ledger = new TestLedger();
        var info = AltynkolInfo();
        info.ClosedAtMs = ledger.TimeMs;

        ledger.SubmitRefused(KzChamber, Proposing(AddCheckpoint(info)), RuleCatalog.MembershipChangeInvalid, "closed_at_ms");
    }

    [Fact]
    public void Closing_a_checkpoint_sets_its_closing_time_to_the_block_time_that_applied_it()
    {
        var ledger = new TestLedger();
        var proposal = ProposalId(ledger.SubmitOk(KzChamber, Proposing(Close(Khorgos))));
        ledger.SubmitOk(CnCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposal });
        var appliedAtMs = ledger.TimeMs;

        ledger.SubmitOk(KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposal });

        ledger.State.Config.Checkpoints.Single(c => c.Code == Khorgos).ClosedAtMs.Should().Be(appliedAtMs);
        ledger.State.Config.Checkpoints.Where(c => c.Code != Khorgos).Should().OnlyContain(c => c.ClosedAtMs == 0);
    }

    [Fact]
    public void Closing_an_unknown_or_closed_checkpoint_is_refused()
    {
        var ledger = new TestLedger();
        ledger.SubmitRefused(KzChamber, Proposing(Close("KZ-NOWHERE")), RuleCatalog.MembershipChangeInvalid, "'KZ-NOWHERE'", RuleCatalog.CheckpointUnknown);
        Pass(ledger, Close(Khorgos));

        ledger.SubmitRefused(KzChamber, Proposing(Close(Khorgos)), RuleCatalog.MembershipChangeInvalid, $"'{Khorgos}'", "closed at");
    }

    [Fact]
    public void An_event_that_occurred_at_a_checkpoint_after_its_closing_is_refused_and_one_that_occurred_before_is_recorded()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        ledger.TimeMs = t + DayMs;
        Pass(ledger, Close(Alashankou));
        var closedAtMs = ledger.State.Config.Checkpoints.Single(c => c.Code == Alashankou).ClosedAtMs;

        var late = Samples.Event(ConsignmentId, Alashankou, CheckpointEventKind.BorderExit, closedAtMs, "SEAL-A", "SEAL-B");
        ledger.SubmitRefused(PostAlashankou, b => b.RecordCheckpointEvent = late, RuleCatalog.CheckpointClosed, $"'{Alashankou}'", $"{closedAtMs}");

        // A post that was offline records, after the closing, what it saw before it: evidence is not thrown away.
        var before = Samples.Event(ConsignmentId, Alashankou, CheckpointEventKind.BorderExit, closedAtMs - 1, "SEAL-A", "SEAL-B");
        ledger.SubmitOk(PostAlashankou, b => b.RecordCheckpointEvent = before);
    }

    [Fact]
    public void Declaring_a_route_through_a_closed_checkpoint_is_refused()
    {
        var ledger = new TestLedger();
        CertificateSteps.Issue(ledger, Number);
        Pass(ledger, Close(Dostyk));

        ledger.SubmitRefused(CnCustoms, b => b.DeclareConsignment = Samples.RailConsignment(ConsignmentId, CertId),
            RuleCatalog.CheckpointClosed, "itinerary[2]", $"'{Dostyk}'");
    }

    [Fact]
    public void Registering_a_post_replaces_its_checkpoints_so_it_no_longer_records_at_the_old_one()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Pass(ledger, Register(PostUrumqi, Khorgos));

        ledger.State.Organisation(PostUrumqi)!.Organisation.Checkpoints.Should().Equal(Khorgos);
        ledger.TimeMs = Math.Max(ledger.TimeMs, t);
        var departure = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B");
        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = departure, RuleCatalog.RecorderNotAuthorised, $"'{Urumqi}'");
    }

    [Fact]
    public void Registering_an_organisation_that_is_no_customs_post_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzChamber, Proposing(Register(KzCustoms, Dostyk)), RuleCatalog.MembershipChangeInvalid, $"'{KzCustoms}'", RuleCatalog.RoleNotAllowed);
    }

    [Fact]
    public void Registering_a_post_for_an_unknown_or_a_closed_checkpoint_or_one_twice_is_refused()
    {
        var ledger = new TestLedger();
        ledger.SubmitRefused(KzChamber, Proposing(Register(PostDostyk, "KZ-NOWHERE")), RuleCatalog.MembershipChangeInvalid, "'KZ-NOWHERE'", RuleCatalog.CheckpointUnknown);
        ledger.SubmitRefused(KzChamber, Proposing(Register(PostDostyk, Dostyk, Dostyk)), RuleCatalog.MembershipChangeInvalid, $"'{PostDostyk}'", "twice");
        ledger.SubmitRefused(KzChamber, Proposing(Register("kz-post-nowhere", Dostyk)), RuleCatalog.MembershipChangeInvalid, "'kz-post-nowhere'", "does not exist");
        Pass(ledger, Close(Khorgos));

        ledger.SubmitRefused(KzChamber, Proposing(Register(PostDostyk, Khorgos)), RuleCatalog.MembershipChangeInvalid, $"'{Khorgos}'", RuleCatalog.CheckpointClosed);
    }

    [Fact]
    public void Every_proposal_is_indexed_in_the_order_proposed_applied_or_not()
    {
        var ledger = new TestLedger();
        var first = Pass(ledger, Close(Khorgos));
        var second = ProposalId(ledger.SubmitOk(CnChamber, Proposing(AddCheckpoint(AltynkolInfo()))));
        ledger.SubmitRefused(KzChamber, Proposing(Close("KZ-NOWHERE")), RuleCatalog.MembershipChangeInvalid, "'KZ-NOWHERE'");

        var index = ProposalIndex.Parser.ParseFrom(ledger.Reader.Get("proposals"));

        index.Ids.Should().Equal(first, second);
    }
}
