using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Support;

/// <summary>Valid sample documents, each a starting point that a test breaks in one place.</summary>
public static class Samples
{
    /// <summary>A China general certificate for cotton yarn to Kazakhstan, issued a day before departure.</summary>
    public static Certificate CnCertificate(string number, long nowMs)
    {
        var cert = new Certificate
        {
            Number = number,
            FormType = "CN-GENERAL",
            IssuedAtMs = nowMs - TestNetwork.DayMs,
            Exporter = new Party { Name = "Xinjiang Cotton Export Co.", Address = "Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Spinning Mill", Address = "Aksu", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile LLP", Address = "Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails
            {
                Mode = TransportMode.Rail,
                DepartureMs = nowMs,
                Route = "Urumqi - Alashankou - Dostyk - Almaty",
                VehicleIds = { "WAGON-5012345" },
            },
            InvoiceNumber = "INV-2026-001",
            InvoiceDateMs = nowMs - (2 * TestNetwork.DayMs),
            ExporterDeclaration = "The goods were produced in China.",
            Certification = "Certified, CCPIT Xinjiang",
            ContentHash = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(number))),
        };
        cert.Goods.Add(new GoodsLine { ItemNo = 1, Marks = "XC-1", Packages = "200 bales", Description = "Cotton yarn, combed", HsCode = "520512", GrossWeightGrams = 20_500_000, QuantityMilli = 20_000_000, Unit = "KGM" });
        cert.Goods.Add(new GoodsLine { ItemNo = 2, Marks = "XC-2", Packages = "50 bales", Description = "Cotton yarn, carded", HsCode = "5205110000", GrossWeightGrams = 5_200_000, QuantityMilli = 5_000_000, Unit = "KGM" });
        return cert;
    }

    /// <summary>A rail consignment Urumqi → Alashankou → Dostyk → Almaty with two seals.</summary>
    public static DeclareConsignment RailConsignment(string id, params string[] certificateIds)
    {
        var tx = new DeclareConsignment
        {
            ConsignmentId = id,
            Mode = TransportMode.Rail,
            VehicleIds = { "WAGON-5012345" },
            Seals = { new Seal { SealId = "SEAL-A" }, new Seal { SealId = "SEAL-B" } },
            Itinerary =
            {
                new ItineraryStop { Checkpoint = TestNetwork.Urumqi },
                new ItineraryStop { Checkpoint = TestNetwork.Alashankou, MinLegMs = 3_600_000, MaxLegMs = 2 * TestNetwork.DayMs },
                new ItineraryStop { Checkpoint = TestNetwork.Dostyk, MinLegMs = 3_600_000, MaxLegMs = TestNetwork.DayMs },
                new ItineraryStop { Checkpoint = TestNetwork.Almaty, MinLegMs = 3_600_000, MaxLegMs = 3 * TestNetwork.DayMs },
            },
        };
        tx.CertificateIds.AddRange(certificateIds);
        return tx;
    }

    public static RecordCheckpointEvent Event(string consignmentId, string checkpoint, CheckpointEventKind kind, long occurredAtMs, params string[] intactSeals)
    {
        var e = new RecordCheckpointEvent { ConsignmentId = consignmentId, Checkpoint = checkpoint, Kind = kind, OccurredAtMs = occurredAtMs };
        e.Seals.AddRange(intactSeals.Select(s => new SealObservation { SealId = s, Status = SealStatus.Sealed }));
        return e;
    }
}
