using Ledger.Contracts.Routes;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Scenarios;

public sealed class CorridorStoryTests
{
    private const string CertId = CnChamber + "/CN-2026-0001";
    private const string ConsignmentId = "CIM-778899";

    [Fact]
    public void Goods_that_travel_the_declared_route_with_seals_intact_are_verified_direct_transport()
    {
        var ledger = new TestLedger();
        Ship(ledger, gaugeChange: true);

        var consignment = ledger.State.Consignment(ConsignmentId)!;
        RouteVerdict.Of(consignment).Kind.Should().Be(RouteVerdictKind.DirectTransportVerified);
        ledger.State.Certificate(CertId)!.Consignments.Should().Equal(ConsignmentId);
    }

    [Fact]
    public void A_rail_crossing_without_gauge_change_is_recorded_as_a_breach_not_refused()
    {
        var ledger = new TestLedger();
        var receipts = Ship(ledger, gaugeChange: false);

        receipts.Should().OnlyContain(r => r.Code == RuleCatalog.Ok);
        var verdict = RouteVerdict.Of(ledger.State.Consignment(ConsignmentId)!);
        verdict.Kind.Should().Be(RouteVerdictKind.Breached);
        verdict.Breaches.Select(b => b.Code).Should().Equal(RuleCatalog.GaugeChangeMissing);
        receipts[^1].Breaches.Should().Equal(RuleCatalog.GaugeChangeMissing);
    }

    [Fact]
    public void Import_customs_uses_the_certificate_in_parts_until_fully_used_and_then_it_cannot_be_revoked()
    {
        var ledger = new TestLedger();
        Ship(ledger, gaugeChange: true);

        Use(ledger, "DECL-1", 1, 15_000_000).Code.Should().Be(RuleCatalog.Ok);
        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Issued);
        var revokeAfterPartialUse = ledger.Submit(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = CertId, Reason = "error" });
        revokeAfterPartialUse.Code.Should().Be(RuleCatalog.CertAlreadyUsed);

        Use(ledger, "DECL-2", 1, 5_000_001).Code.Should().Be(RuleCatalog.UseExceedsBalance);
        Use(ledger, "DECL-2", 1, 5_000_000).Code.Should().Be(RuleCatalog.Ok);
        Use(ledger, "DECL-3", 2, 5_000_000).Code.Should().Be(RuleCatalog.Ok);

        var cert = ledger.State.Certificate(CertId)!;
        cert.Status.Should().Be(CertificateStatus.FullyUsed);
        cert.RemainingMilli.Should().Equal(0, 0);
        cert.Uses.Select(u => u.DeclarationNumber).Should().Equal("DECL-1", "DECL-2", "DECL-3");
        var revoke = ledger.Submit(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = CertId, Reason = "fraud" });
        revoke.Code.Should().Be(RuleCatalog.CertNotActive);
        revoke.Message.Should().Contain("FullyUsed");
    }

    private static Receipt Use(TestLedger ledger, string declaration, uint itemNo, long quantityMilli) =>
        ledger.Submit(KzCustoms, b => b.RecordUse = new RecordUse
        {
            CertificateId = CertId,
            DeclarationNumber = declaration,
            Lines = { new UseLine { ItemNo = itemNo, QuantityMilli = quantityMilli } },
        });

    private static List<Receipt> Ship(TestLedger ledger, bool gaugeChange)
    {
        var receipts = new List<Receipt>();
        var now = ledger.TimeMs;
        receipts.Add(ledger.Submit(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate("CN-2026-0001", now) }));
        receipts.Add(ledger.Submit(CnCustoms, b => b.DeclareConsignment = Samples.RailConsignment(ConsignmentId, CertId)));
        var t = ledger.TimeMs;
        receipts.Add(ledger.Submit(PostUrumqi, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B")));
        ledger.TimeMs += TestNetwork.DayMs;
        receipts.Add(ledger.Submit(PostAlashankou, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Alashankou, CheckpointEventKind.BorderExit, t + TestNetwork.DayMs, "SEAL-A", "SEAL-B")));
        ledger.TimeMs += TestNetwork.DayMs / 2;
        receipts.Add(ledger.Submit(PostDostyk, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.BorderEntry, t + (TestNetwork.DayMs * 3 / 2), "SEAL-A", "SEAL-B")));
        if (gaugeChange)
        {
            receipts.Add(ledger.Submit(PostDostyk, b =>
            {
                b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Dostyk, CheckpointEventKind.GaugeChange, t + (TestNetwork.DayMs * 3 / 2) + 3_600_000, "SEAL-A", "SEAL-B");
                b.RecordCheckpointEvent.GaugeAfterMm = 1520;
            }));
        }
        ledger.TimeMs += TestNetwork.DayMs * 2;
        receipts.Add(ledger.Submit(PostAlmaty, b => b.RecordCheckpointEvent = Samples.Event(ConsignmentId, Almaty, CheckpointEventKind.Arrival, t + (TestNetwork.DayMs * 3), "SEAL-A", "SEAL-B")));
        receipts.Take(2).Should().OnlyContain(r => r.Code == RuleCatalog.Ok, "the certificate and the consignment are valid: {0}", string.Join("; ", receipts.Select(r => r.Message)));
        return receipts;
    }
}
