using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.CertificateSteps;
using static Ledger.Contracts.Tests.Support.RouteSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class ConsignmentRuleTests
{
    private static Receipt DeclareRefused(TestLedger ledger, string signer, Action<DeclareConsignment> breakIt, string code, params string[] messageNames)
    {
        var declaration = Samples.RailConsignment(ConsignmentId, CertId);
        breakIt(declaration);
        var receipt = ledger.SubmitRefused(signer, b => b.DeclareConsignment = declaration, code, messageNames);
        ledger.State.Consignment(ConsignmentId).Should().BeNull();
        return receipt;
    }

    private static Receipt DeclareRefused(Action<DeclareConsignment> breakIt, string code, params string[] messageNames)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        return DeclareRefused(ledger, CnCustoms, breakIt, code, messageNames);
    }

    // Declaration

    [Fact]
    public void A_declared_consignment_links_its_certificates_and_starts_on_its_seals_and_gauge()
    {
        var ledger = new TestLedger();

        Declared(ledger);

        var consignment = ledger.State.Consignment(ConsignmentId)!;
        consignment.DeclaredBy.Should().Be(CnCustoms);
        consignment.ActiveSeals.Should().Equal("SEAL-A", "SEAL-B");
        consignment.LastStopIndex.Should().Be(-1);
        consignment.CurrentGaugeMm.Should().Be(1435u);
        consignment.Closed.Should().BeFalse();
        ledger.State.Certificate(CertId)!.Consignments.Should().Equal(ConsignmentId);
    }

    [Fact]
    public void Declaring_a_consignment_id_twice_is_refused_and_the_first_stays_as_it_was()
    {
        var ledger = new TestLedger();
        Declared(ledger);
        var before = ledger.RecordBytes("consignment/" + ConsignmentId);

        ledger.SubmitRefused(CnCustoms, b => b.DeclareConsignment = Samples.RailConsignment(ConsignmentId, CertId), RuleCatalog.ConsignmentExists, ConsignmentId);

        ledger.RecordBytes("consignment/" + ConsignmentId).Should().Be(before);
    }

    [Fact]
    public void Linking_an_unknown_certificate_is_refused()
    {
        DeclareRefused(d => d.CertificateIds.Add(CnChamber + "/NO-SUCH"), RuleCatalog.CertNotLinkable, "certificate_ids", CnChamber + "/NO-SUCH", "names no certificate");
    }

    [Theory]
    [InlineData("revoked", "Revoked")]
    [InlineData("suspended", "Suspended")]
    public void Linking_an_inactive_certificate_is_refused(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, how == "revoked" ? Revoke(CertId) : Suspend(CertId));
        var certBefore = ledger.RecordBytes("cert/" + CertId);

        DeclareRefused(ledger, CnCustoms, _ => { }, RuleCatalog.CertNotLinkable, CertId, $"is {status}");

        ledger.RecordBytes("cert/" + CertId).Should().Be(certBefore);
    }

    [Fact]
    public void Linking_a_certificate_of_export_from_another_country_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        DeclareRefused(ledger, KzCustoms, _ => { }, RuleCatalog.CertNotLinkable, CertId, "export from CN", "not from KZ", $"'{KzCustoms}'");

        ledger.State.Certificate(CertId)!.Consignments.Should().BeEmpty();
    }

    [Theory]
    [InlineData("consignment_id")]
    [InlineData("certificate_ids")]
    [InlineData("mode")]
    public void A_declaration_without_id_certificates_or_mode_is_refused(string field)
    {
        DeclareRefused(d =>
        {
            switch (field)
            {
                case "consignment_id": d.ConsignmentId = ""; break;
                case "certificate_ids": d.CertificateIds.Clear(); break;
                default: d.Mode = TransportMode.Unspecified; break;
            }
        }, RuleCatalog.RequiredFieldMissing, "consignment_id", "certificate id", "transport mode");
    }

    [Theory]
    [InlineData("")]
    [InlineData("SEAL-A")]
    public void A_seal_without_id_or_declared_twice_is_refused(string sealId)
    {
        DeclareRefused(d => d.Seals.Add(new Seal { SealId = sealId }), RuleCatalog.RequiredFieldMissing, "seal_id");
    }

    [Fact]
    public void An_itinerary_of_one_stop_is_refused()
    {
        DeclareRefused(d =>
        {
            while (d.Itinerary.Count > 1)
            {
                d.Itinerary.RemoveAt(1);
            }
        }, RuleCatalog.ItineraryInvalid, "it has 1");
    }

    [Fact]
    public void An_itinerary_naming_a_checkpoint_twice_is_refused()
    {
        DeclareRefused(d => d.Itinerary.Add(new ItineraryStop { Checkpoint = Alashankou }), RuleCatalog.ItineraryInvalid, "itinerary[4]", Alashankou, "twice");
    }

    [Theory]
    [InlineData(-1L, 0L)]
    [InlineData(3_600_001L, 3_600_000L)]
    public void An_itinerary_stop_whose_time_window_is_no_window_is_refused(long minLegMs, long maxLegMs)
    {
        DeclareRefused(d =>
        {
            d.Itinerary[2].MinLegMs = minLegMs;
            d.Itinerary[2].MaxLegMs = maxLegMs;
        }, RuleCatalog.ItineraryInvalid, "itinerary[2]", $"[{minLegMs}, {maxLegMs}]");
    }

    [Fact]
    public void An_itinerary_stop_at_a_checkpoint_not_in_the_registry_is_refused()
    {
        DeclareRefused(d => d.Itinerary[1].Checkpoint = "CN-NOWHERE", RuleCatalog.CheckpointUnknown, "itinerary[1]", "CN-NOWHERE");
    }

    // Checkpoint events

    [Fact]
    public void An_event_for_an_undeclared_consignment_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event("CIM-404", Urumqi, CheckpointEventKind.Departure, ledger.TimeMs, "SEAL-A"),
            RuleCatalog.ConsignmentUnknown, "CIM-404");
    }

    [Fact]
    public void An_event_recorded_by_a_post_not_registered_for_the_checkpoint_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);

        ledger.SubmitRefused(PostDostyk, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"),
            RuleCatalog.RecorderNotAuthorised, $"'{PostDostyk}'", Urumqi);

        ledger.State.Consignment(ConsignmentId)!.Events.Should().BeEmpty();
    }

    [Fact]
    public void An_event_at_a_checkpoint_not_in_the_registry_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, "CN-NOWHERE", CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"),
            RuleCatalog.CheckpointUnknown, "CN-NOWHERE");
    }

    [Fact]
    public void The_same_event_recorded_twice_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        var before = ledger.RecordBytes("consignment/" + ConsignmentId);

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"),
            RuleCatalog.EventDuplicate, Urumqi, t.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsignmentId);

        ledger.RecordBytes("consignment/" + ConsignmentId).Should().Be(before);
    }

    [Fact]
    public void An_event_after_arrival_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        CleanTrip(ledger, t);
        ledger.State.Consignment(ConsignmentId)!.Closed.Should().BeTrue();
        var before = ledger.RecordBytes("consignment/" + ConsignmentId);

        ledger.SubmitRefused(PostAlmaty, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Almaty, CheckpointEventKind.SealCheck, t + (4 * DayMs), "SEAL-A", "SEAL-B"),
            RuleCatalog.ConsignmentClosed, ConsignmentId, "closed");

        ledger.RecordBytes("consignment/" + ConsignmentId).Should().Be(before);
    }

    [Fact]
    public void An_event_without_its_kind_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Unspecified, t, "SEAL-A", "SEAL-B"),
            RuleCatalog.RequiredFieldMissing, "kind");
    }

    [Fact]
    public void An_event_that_occurred_after_the_block_time_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, t + 1, "SEAL-A", "SEAL-B"),
            RuleCatalog.TimeInFuture, "occurred_at_ms", "block time");
    }

    [Fact]
    public void A_reseal_that_names_no_new_seals_is_refused()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        ledger.SubmitRefused(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Reseal, t + 1, "SEAL-A", "SEAL-B"),
            RuleCatalog.RequiredFieldMissing, "new_seals");

        ledger.State.Consignment(ConsignmentId)!.ActiveSeals.Should().Equal("SEAL-A", "SEAL-B");
    }
}
