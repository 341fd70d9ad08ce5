using Ledger.Contracts.Routes;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.RouteSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

/// <summary>
/// What happened in the world is recorded, never refused: each event here is accepted, kept on the
/// consignment, and the breach it shows is listed on its receipt and in the route verdict.
/// </summary>
public sealed class RouteBreachTests
{
    private const long HourMs = 3_600_000;

    private static ConsignmentRecord Consignment(TestLedger ledger) => ledger.State.Consignment(ConsignmentId)!;

    /// <summary>Asserts the event was committed with exactly this breach, and the verdict lists it.</summary>
    private static RouteBreach ExpectBreach(TestLedger ledger, Receipt receipt, string code, params string[] messageNames)
    {
        receipt.Code.Should().Be(RuleCatalog.Ok, "a breach is recorded, not refused: {0}", receipt.Message);
        receipt.Breaches.Should().Equal(code);
        var consignment = Consignment(ledger);
        consignment.Events[^1].TxId.Should().Equal(receipt.TxId, "the event is kept as evidence");
        var breach = consignment.Breaches.Should().ContainSingle().Subject;
        breach.Code.Should().Be(code);
        breach.Height.Should().Be(ledger.Height);
        foreach (var name in messageNames)
        {
            breach.Message.Should().Contain(name);
        }
        var verdict = RouteVerdict.Of(consignment);
        verdict.Kind.Should().Be(RouteVerdictKind.Breached);
        verdict.Breaches.Select(b => b.Code).Should().Equal(code);
        return breach;
    }

    [Fact]
    public void A_trip_in_order_within_its_windows_with_seals_intact_is_verified_direct_transport()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        RouteVerdict.Of(Consignment(ledger)).Kind.Should().Be(RouteVerdictKind.InTransit);

        CleanTripFrom(ledger, t);

        RouteVerdict.Of(Consignment(ledger)).Should().BeEquivalentTo(new RouteVerdict(RouteVerdictKind.DirectTransportVerified, []));
    }

    private static void CleanTripFrom(TestLedger ledger, long t)
    {
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Dostyk, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2), "SEAL-A", "SEAL-B"));
        var gauge = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.GaugeChange, t + (DayMs * 3 / 2) + HourMs, "SEAL-A", "SEAL-B");
        gauge.GaugeAfterMm = 1520;
        Expect(Record(ledger, gauge));
        Expect(Record(ledger, Almaty, CheckpointEventKind.Arrival, t + (3 * DayMs), "SEAL-A", "SEAL-B"));
    }

    [Fact]
    public void An_event_at_a_checkpoint_outside_the_itinerary_is_a_breach()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger, d => d.Itinerary.RemoveAt(1));
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.CheckpointNotOnRoute, Alashankou, "itinerary").Checkpoint.Should().Be(Alashankou);
        Consignment(ledger).LastStopIndex.Should().Be(0, "the consignment did not advance along its itinerary");
    }

    [Fact]
    public void An_event_that_skips_a_checkpoint_of_the_itinerary_is_a_breach()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Dostyk, CheckpointEventKind.BorderEntry, t + (12 * HourMs), "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.CheckpointOutOfSequence, Dostyk, $"before any event at '{Alashankou}'");
    }

    [Fact]
    public void An_event_at_an_earlier_checkpoint_after_a_later_one_is_a_breach()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Urumqi, CheckpointEventKind.SealCheck, t + (DayMs * 5 / 4), "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.CheckpointOutOfSequence, Urumqi, $"reached '{Alashankou}'");
    }

    [Theory]
    [InlineData(HourMs - 1)]
    [InlineData((2 * DayMs) + 1)]
    public void A_leg_faster_than_its_minimum_or_slower_than_its_maximum_is_a_breach(long legMs)
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + legMs, "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.TimeWindowViolation, Urumqi, Alashankou, $"took {legMs} ms", $"{HourMs} to {2 * DayMs} ms");
    }

    [Theory]
    [InlineData(HourMs)]
    [InlineData(2 * DayMs)]
    public void A_leg_of_exactly_its_minimum_or_maximum_time_is_in_its_window(long legMs)
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + legMs, "SEAL-A", "SEAL-B"));

        Consignment(ledger).Breaches.Should().BeEmpty();
    }

    [Theory]
    [InlineData("SEAL-A")]
    [InlineData("SEAL-A", "SEAL-B", "SEAL-C")]
    [InlineData("SEAL-A", "SEAL-X")]
    public void Seals_observed_that_differ_from_the_active_seals_are_a_breach(params string[] observed)
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, observed);

        ExpectBreach(ledger, receipt, RuleCatalog.SealMismatch, $"[{string.Join(", ", observed)}]", "[SEAL-A, SEAL-B]");
    }

    [Theory]
    [InlineData(SealStatus.Opened)]
    [InlineData(SealStatus.Tampered)]
    public void A_seal_reported_opened_or_tampered_outside_an_authorised_opening_is_a_breach(SealStatus status)
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        var e = Samples.Event(ConsignmentId, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B");
        e.Seals[1].Status = status;

        var receipt = Record(ledger, e);

        ExpectBreach(ledger, receipt, RuleCatalog.SealBroken, "SEAL-B", status.ToString());
    }

    [Fact]
    public void After_an_authorised_reseal_events_with_the_new_seals_are_clean_and_the_trip_is_verified()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));
        var reseal = Samples.Event(ConsignmentId, Alashankou, CheckpointEventKind.Reseal, t + DayMs + HourMs, "SEAL-A", "SEAL-B");
        reseal.Seals[0].Status = SealStatus.Opened;
        reseal.Seals[1].Status = SealStatus.Opened;
        reseal.NewSeals.Add(new Seal { SealId = "SEAL-D" });
        reseal.NewSeals.Add(new Seal { SealId = "SEAL-C" });

        Expect(Record(ledger, reseal));

        Consignment(ledger).ActiveSeals.Should().Equal("SEAL-C", "SEAL-D");
        Expect(Record(ledger, Dostyk, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2), "SEAL-C", "SEAL-D"));
        var gauge = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.GaugeChange, t + (DayMs * 3 / 2) + HourMs, "SEAL-D", "SEAL-C");
        gauge.GaugeAfterMm = 1520;
        Expect(Record(ledger, gauge));
        Expect(Record(ledger, Almaty, CheckpointEventKind.Arrival, t + (3 * DayMs), "SEAL-C", "SEAL-D"));
        RouteVerdict.Of(Consignment(ledger)).Kind.Should().Be(RouteVerdictKind.DirectTransportVerified);
    }

    [Fact]
    public void After_a_reseal_the_old_seals_are_a_mismatch()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        var reseal = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Reseal, t + HourMs);
        reseal.NewSeals.Add(new Seal { SealId = "SEAL-C" });
        Expect(Record(ledger, reseal));

        var receipt = Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.SealMismatch, "[SEAL-A, SEAL-B]", "[SEAL-C]");
    }

    [Fact]
    public void A_rail_consignment_reaching_broad_gauge_without_a_gauge_change_is_a_breach()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Dostyk, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2), "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Almaty, CheckpointEventKind.Arrival, t + (3 * DayMs), "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.GaugeChangeMissing, "1435 mm", Almaty, "1520 mm");
    }

    [Fact]
    public void A_transshipment_at_the_border_changes_the_gauge_and_applies_new_seals()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));
        var transshipment = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.Transshipment, t + (DayMs * 3 / 2));
        transshipment.NewSeals.Add(new Seal { SealId = "SEAL-KZ1" });
        Expect(Record(ledger, transshipment));

        Expect(Record(ledger, Almaty, CheckpointEventKind.Arrival, t + (3 * DayMs), "SEAL-KZ1"));

        Consignment(ledger).CurrentGaugeMm.Should().Be(1520u);
        RouteVerdict.Of(Consignment(ledger)).Kind.Should().Be(RouteVerdictKind.DirectTransportVerified);
    }

    [Fact]
    public void An_arrival_short_of_the_destination_is_a_breach_and_closes_the_consignment()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, "SEAL-A", "SEAL-B"));

        var receipt = Record(ledger, Dostyk, CheckpointEventKind.Arrival, t + (DayMs * 3 / 2), "SEAL-A", "SEAL-B");

        ExpectBreach(ledger, receipt, RuleCatalog.RouteIncomplete, Dostyk, $"destination '{Almaty}'");
        Consignment(ledger).Closed.Should().BeTrue();
    }

    [Fact]
    public void Every_breach_of_a_trip_is_listed_in_the_verdict_in_order()
    {
        var ledger = new TestLedger();
        var t = Declared(ledger);
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B"));
        var late = Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + (3 * DayMs), "SEAL-A");

        late.Breaches.Should().Equal(RuleCatalog.TimeWindowViolation, RuleCatalog.SealMismatch);
        RouteVerdict.Of(Consignment(ledger)).Breaches.Select(b => b.Code).Should().Equal(RuleCatalog.TimeWindowViolation, RuleCatalog.SealMismatch);
    }
}
