using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Support;

/// <summary>A certificate and a declared rail consignment Urumqi → Alashankou → Dostyk → Almaty, and events on it.</summary>
public static class RouteSteps
{
    public const string ConsignmentId = "CIM-100";
    public const string Number = "CN-2026-0600";
    public const string CertId = CnChamber + "/" + Number;

    /// <summary>Issues the certificate and declares the consignment; returns the departure time to count events from.</summary>
    public static long Declared(TestLedger ledger, Action<DeclareConsignment>? change = null)
    {
        CertificateSteps.Issue(ledger, Number);
        var declaration = Samples.RailConsignment(ConsignmentId, CertId);
        change?.Invoke(declaration);
        ledger.SubmitOk(CnCustoms, b => b.DeclareConsignment = declaration);
        return ledger.TimeMs;
    }

    public static string PostOf(string checkpoint) => checkpoint switch
    {
        Urumqi => PostUrumqi,
        Alashankou => PostAlashankou,
        Dostyk => PostDostyk,
        Almaty => PostAlmaty,
        _ => throw new ArgumentOutOfRangeException(nameof(checkpoint), checkpoint, "no post is registered there"),
    };

    /// <summary>The post of the checkpoint records the event, in a block no earlier than the event.</summary>
    public static Receipt Record(TestLedger ledger, string checkpoint, CheckpointEventKind kind, long occurredAtMs, params string[] intactSeals) =>
        Record(ledger, Samples.Event(ConsignmentId, checkpoint, kind, occurredAtMs, intactSeals));

    public static Receipt Record(TestLedger ledger, RecordCheckpointEvent e)
    {
        ledger.TimeMs = Math.Max(ledger.TimeMs, e.OccurredAtMs);
        return ledger.Submit(PostOf(e.Checkpoint), b => b.RecordCheckpointEvent = e);
    }

    /// <summary>Departure, border exit, border entry with gauge change, arrival: in order, in their windows, seals intact.</summary>
    public static void CleanTrip(TestLedger ledger, long t, params string[] seals)
    {
        seals = seals.Length > 0 ? seals : ["SEAL-A", "SEAL-B"];
        Expect(Record(ledger, Urumqi, CheckpointEventKind.Departure, t, seals));
        Expect(Record(ledger, Alashankou, CheckpointEventKind.BorderExit, t + DayMs, seals));
        Expect(Record(ledger, Dostyk, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2), seals));
        var gauge = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.GaugeChange, t + (DayMs * 3 / 2) + 3_600_000, seals);
        gauge.GaugeAfterMm = 1520;
        Expect(Record(ledger, gauge));
        Expect(Record(ledger, Almaty, CheckpointEventKind.Arrival, t + (3 * DayMs), seals));
    }

    /// <summary>Asserts an event was accepted with no breach.</summary>
    public static void Expect(Receipt receipt)
    {
        receipt.Code.Should().Be("OK", "the event is valid: {0}", receipt.Message);
        receipt.Breaches.Should().BeEmpty();
    }
}
