using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>The certificate fields a form may require by name (FormRule.required_fields).</summary>
public static class CertificateFields
{
    private static readonly (string Name, Func<Certificate, bool> IsPresent)[] Fields =
    [
        ("producer", c => c.Producer?.Name.Length > 0),
        ("exporter.address", c => c.Exporter?.Address.Length > 0),
        ("consignee.address", c => c.Consignee?.Address.Length > 0),
        ("transport.mode", c => c.Transport is { Mode: not TransportMode.Unspecified }),
        ("transport.departure_ms", c => c.Transport?.DepartureMs > 0),
        ("transport.route", c => c.Transport?.Route.Length > 0),
        ("transport.vehicle_ids", c => c.Transport?.VehicleIds.Count > 0),
        ("invoice_number", c => c.InvoiceNumber.Length > 0),
        ("invoice_date_ms", c => c.InvoiceDateMs > 0),
        ("exporter_declaration", c => c.ExporterDeclaration.Length > 0),
        ("certification", c => c.Certification.Length > 0),
        ("goods.marks", c => c.Goods.All(g => g.Marks.Length > 0)),
        ("goods.packages", c => c.Goods.All(g => g.Packages.Length > 0)),
    ];

    /// <summary>Names a form may list, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Fields.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

    public static bool IsKnown(string name) => Fields.Any(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public static bool IsPresent(Certificate cert, string name) =>
        Fields.First(f => string.Equals(f.Name, name, StringComparison.Ordinal)).IsPresent(cert);
}
