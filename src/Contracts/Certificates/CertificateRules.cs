using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>The content rules of a certificate of origin, with the form's rules taken from configuration.</summary>
public static class CertificateRules
{
    public const int ContentHashBytes = 32;

    public static Refusal? Check(Certificate cert, OrganisationRecord issuer, NetworkConfig config, long blockTimeMs)
    {
        return Required(cert)
            ?? FormRules(cert, config)
            ?? Countries(cert, issuer)
            ?? Goods(cert, config)
            ?? Dates(cert, config, blockTimeMs);
    }

    private static Refusal? Required(Certificate cert)
    {
        (string Field, bool Present)[] required =
        [
            ("number", cert.Number.Length > 0),
            ("form_type", cert.FormType.Length > 0),
            ("issued_at_ms", cert.IssuedAtMs > 0),
            ("exporter.name", cert.Exporter?.Name.Length > 0),
            ("exporter.country", cert.Exporter?.Country.Length > 0),
            ("consignee.name", cert.Consignee?.Name.Length > 0),
            ("export_country", cert.ExportCountry.Length > 0),
            ("import_country", cert.ImportCountry.Length > 0),
            ("goods", cert.Goods.Count > 0),
        ];
        foreach (var (field, present) in required)
        {
            if (!present)
            {
                return Missing(field, "every certificate");
            }
        }
        if (cert.ContentHash.Length != ContentHashBytes)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing,
                $"content_hash must be the 32-byte SHA-256 of the certificate document, not {cert.ContentHash.Length} bytes");
        }
        return null;
    }

    private static Refusal? FormRules(Certificate cert, NetworkConfig config)
    {
        var form = config.Forms.FirstOrDefault(f => string.Equals(f.FormType, cert.FormType, StringComparison.Ordinal));
        if (form is null)
        {
            return new Refusal(RuleCatalog.FormTypeUnknown,
                $"form_type '{cert.FormType}' is not configured; known forms: {string.Join(", ", config.Forms.Select(f => f.FormType))}");
        }
        foreach (var field in form.RequiredFields)
        {
            if (!CertificateFields.IsPresent(cert, field))
            {
                return Missing(field, $"form {form.FormType}");
            }
        }
        foreach (var line in cert.Goods)
        {
            var criterion = line.OriginCriterion;
            if (!form.CriterionRequired && criterion.Length > 0)
            {
                return new Refusal(RuleCatalog.OriginCriterionInvalid,
                    $"goods line {line.ItemNo}: origin_criterion '{criterion}' given, but form {form.FormType} has no origin criterion box");
            }
            if (form.CriterionRequired && !CriterionAllowed(form, criterion))
            {
                return new Refusal(RuleCatalog.OriginCriterionInvalid,
                    $"goods line {line.ItemNo}: origin_criterion '{criterion}' is not allowed for form {form.FormType}; allowed: {string.Join(", ", form.Criteria)}");
            }
        }
        return null;
    }

    private static bool CriterionAllowed(FormRule form, string criterion) =>
        criterion.Length > 0 && form.Criteria.Any(allowed => allowed.EndsWith('*')
            ? criterion.Length > allowed.Length - 1 && criterion.StartsWith(allowed[..^1], StringComparison.Ordinal)
            : string.Equals(allowed, criterion, StringComparison.Ordinal));

    private static Refusal? Countries(Certificate cert, OrganisationRecord issuer)
    {
        if (!string.Equals(issuer.Organisation.Country, cert.ExportCountry, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.IssuerNotAccredited,
                $"issuer '{issuer.Organisation.Id}' is a chamber of {issuer.Organisation.Country} and is not accredited to certify origin for export_country {cert.ExportCountry}");
        }
        if (!string.Equals(cert.Exporter.Country, cert.ExportCountry, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.CountryMismatch,
                $"exporter.country {cert.Exporter.Country} differs from export_country {cert.ExportCountry}");
        }
        if (string.Equals(cert.ExportCountry, cert.ImportCountry, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.CountryMismatch, $"export_country and import_country are both {cert.ExportCountry}");
        }
        return null;
    }

    private static Refusal? Goods(Certificate cert, NetworkConfig config)
    {
        var seen = new SortedSet<uint>();
        foreach (var line in cert.Goods)
        {
            if (line.ItemNo == 0 || !seen.Add(line.ItemNo))
            {
                return new Refusal(RuleCatalog.RequiredFieldMissing,
                    $"goods line item_no {line.ItemNo} must be a positive number used once per certificate");
            }
            if (line.Description.Length == 0)
            {
                return Missing($"goods[{line.ItemNo}].description", "every goods line");
            }
            if (!HsCode.IsValid(line.HsCode))
            {
                return new Refusal(RuleCatalog.HsCodeInvalid,
                    $"goods line {line.ItemNo}: hs_code '{line.HsCode}' must be 6 to 10 digits");
            }
            if (line.QuantityMilli <= 0 || line.GrossWeightGrams <= 0)
            {
                return new Refusal(RuleCatalog.QuantityInvalid,
                    $"goods line {line.ItemNo}: quantity_milli ({line.QuantityMilli}) and gross_weight_grams ({line.GrossWeightGrams}) must be positive");
            }
            if (!config.Units.Contains(line.Unit))
            {
                return new Refusal(RuleCatalog.QuantityInvalid,
                    $"goods line {line.ItemNo}: unit '{line.Unit}' is not a configured unit ({string.Join(", ", config.Units)})");
            }
        }
        return null;
    }

    private static Refusal? Dates(Certificate cert, NetworkConfig config, long blockTimeMs)
    {
        if (cert.IssuedAtMs > blockTimeMs)
        {
            return new Refusal(RuleCatalog.TimeInFuture,
                $"issued_at_ms {cert.IssuedAtMs} is after the block time {blockTimeMs}");
        }
        if (cert.InvoiceDateMs > 0 && cert.IssuedAtMs < cert.InvoiceDateMs)
        {
            return new Refusal(RuleCatalog.IssueBeforeInvoice,
                $"issued_at_ms {cert.IssuedAtMs} precedes invoice_date_ms {cert.InvoiceDateMs}");
        }
        var departureMs = cert.Transport?.DepartureMs ?? 0;
        if (departureMs > 0 && cert.IssuedAtMs > departureMs)
        {
            if (!cert.Retrospective)
            {
                return new Refusal(RuleCatalog.RetroactiveNotMarked,
                    $"issued_at_ms {cert.IssuedAtMs} is after transport.departure_ms {departureMs}, but the certificate is not marked retrospective");
            }
            if (cert.IssuedAtMs - departureMs > config.RetroactiveWindowMs)
            {
                return new Refusal(RuleCatalog.RetroactiveWindowExceeded,
                    $"issued_at_ms is {cert.IssuedAtMs - departureMs} ms after transport.departure_ms; retrospective issue is allowed for {config.RetroactiveWindowMs} ms ({config.RetroactiveWindowMs / 86_400_000} days)");
            }
        }
        return null;
    }

    private static Refusal Missing(string field, string whose) =>
        new(RuleCatalog.RequiredFieldMissing, $"{field} is required for {whose} and is empty");
}
