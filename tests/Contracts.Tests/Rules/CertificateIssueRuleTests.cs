using Google.Protobuf;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class CertificateIssueRuleTests
{
    private const string Number = "CN-2026-0200";
    private const string CertId = CnChamber + "/" + Number;

    private static Receipt IssueRefused(Action<Certificate, long> breakIt, string code, params string[] messageNames) =>
        IssueRefusedBy(CnChamber, breakIt, code, messageNames);

    private static Receipt IssueRefusedBy(string signer, Action<Certificate, long> breakIt, string code, params string[] messageNames)
    {
        var ledger = new TestLedger();
        var cert = Samples.CnCertificate(Number, ledger.TimeMs);
        breakIt(cert, ledger.TimeMs);

        var receipt = ledger.SubmitRefused(signer, b => b.IssueCertificate = new IssueCertificate { Certificate = cert }, code, messageNames);

        ledger.State.Certificate(signer + "/" + Number).Should().BeNull();
        return receipt;
    }

    private static CertificateRecord IssueAccepted(Action<Certificate, long> change)
    {
        var ledger = new TestLedger();
        var cert = Samples.CnCertificate(Number, ledger.TimeMs);
        change(cert, ledger.TimeMs);
        ledger.SubmitOk(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = cert });
        return ledger.State.Certificate(CertId)!;
    }

    private static void SetCriterion(Certificate cert, string formType, string criterion)
    {
        cert.FormType = formType;
        foreach (var line in cert.Goods)
        {
            line.OriginCriterion = criterion;
        }
    }

    [Fact]
    public void The_sample_certificate_is_issued_active_with_its_whole_quantity_remaining()
    {
        var record = IssueAccepted((_, _) => { });

        record.Id.Should().Be(CertId);
        record.Issuer.Should().Be(CnChamber);
        record.Status.Should().Be(CertificateStatus.Issued);
        record.RemainingMilli.Should().Equal(20_000_000, 5_000_000);
    }

    [Fact]
    public void A_chamber_of_another_country_is_not_accredited_for_the_export_country()
    {
        IssueRefusedBy(KzChamber, (_, _) => { }, RuleCatalog.IssuerNotAccredited, KzChamber, "export_country CN");
    }

    [Fact]
    public void Issuing_a_number_the_issuer_already_used_is_refused_and_the_first_certificate_is_unchanged()
    {
        var ledger = new TestLedger();
        ledger.SubmitOk(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(Number, ledger.TimeMs) });
        var before = ledger.RecordBytes("cert/" + CertId);
        var second = Samples.CnCertificate(Number, ledger.TimeMs);
        second.Goods[0].QuantityMilli = 1_000;

        ledger.SubmitRefused(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = second }, RuleCatalog.CertNumberExists, CnChamber, Number);

        ledger.RecordBytes("cert/" + CertId).Should().Be(before);
    }

    [Fact]
    public void The_same_number_from_another_issuer_is_another_certificate()
    {
        var ledger = new TestLedger();
        ledger.SubmitOk(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(Number, ledger.TimeMs) });
        var kz = Samples.CnCertificate(Number, ledger.TimeMs);
        kz.ExportCountry = "KZ";
        kz.Exporter.Country = "KZ";
        kz.ImportCountry = "CN";

        ledger.SubmitOk(KzChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = kz });

        ledger.State.Certificate(KzChamber + "/" + Number)!.Certificate.ExportCountry.Should().Be("KZ");
        ledger.State.Certificate(CertId)!.Certificate.ExportCountry.Should().Be("CN");
    }

    [Theory]
    [InlineData("number")]
    [InlineData("form_type")]
    [InlineData("issued_at_ms")]
    [InlineData("exporter.name")]
    [InlineData("exporter.country")]
    [InlineData("consignee.name")]
    [InlineData("export_country")]
    [InlineData("import_country")]
    [InlineData("goods")]
    [InlineData("content_hash")]
    [InlineData("transport.route")]
    [InlineData("invoice_number")]
    public void A_certificate_missing_a_required_field_is_refused_naming_it(string field)
    {
        IssueRefused((cert, _) =>
        {
            switch (field)
            {
                case "number": cert.Number = ""; break;
                case "form_type": cert.FormType = ""; break;
                case "issued_at_ms": cert.IssuedAtMs = 0; break;
                case "exporter.name": cert.Exporter.Name = ""; break;
                case "exporter.country": cert.Exporter.Country = ""; break;
                case "consignee.name": cert.Consignee.Name = ""; break;
                case "export_country": cert.ExportCountry = ""; break;
                case "import_country": cert.ImportCountry = ""; break;
                case "goods": cert.Goods.Clear(); break;
                case "content_hash": cert.ContentHash = ByteString.CopyFrom(new byte[31]); break;
                // Required by the CN-GENERAL form in the configuration, not by every certificate.
                case "transport.route": cert.Transport.Route = ""; break;
                case "invoice_number": cert.InvoiceNumber = ""; break;
                default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
            }
        }, RuleCatalog.RequiredFieldMissing, field);
    }

    [Fact]
    public void A_field_required_by_the_form_in_configuration_is_required_only_for_that_form()
    {
        IssueRefused((cert, _) =>
        {
            SetCriterion(cert, "CT-1", "WO");
            cert.Producer = null;
        }, RuleCatalog.RequiredFieldMissing, "producer", "form CT-1");

        IssueAccepted((cert, _) => cert.Producer = null).Certificate.Producer.Should().BeNull("CN-GENERAL does not require a producer");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    public void A_goods_line_number_that_is_zero_or_used_twice_is_refused(uint itemNo)
    {
        IssueRefused((cert, _) => cert.Goods[0].ItemNo = itemNo, RuleCatalog.RequiredFieldMissing, $"item_no {itemNo}");
    }

    [Fact]
    public void A_goods_line_without_description_is_refused()
    {
        IssueRefused((cert, _) => cert.Goods[1].Description = "", RuleCatalog.RequiredFieldMissing, "goods[2].description");
    }

    [Fact]
    public void A_form_type_not_in_the_configuration_is_refused()
    {
        IssueRefused((cert, _) => cert.FormType = "EUR.1", RuleCatalog.FormTypeUnknown, "form_type 'EUR.1'", "CN-GENERAL");
    }

    [Theory]
    [InlineData("52051")]
    [InlineData("52051200000")]
    [InlineData("5205.12")]
    [InlineData("52051A")]
    [InlineData("")]
    public void Hs_code_that_is_not_six_to_ten_digits_is_refused(string hsCode)
    {
        IssueRefused((cert, _) => cert.Goods[1].HsCode = hsCode, RuleCatalog.HsCodeInvalid, "goods line 2", $"hs_code '{hsCode}'");
    }

    [Theory]
    [InlineData("520512")]
    [InlineData("5205120000")]
    public void Hs_code_of_exactly_six_or_ten_digits_is_accepted(string hsCode)
    {
        IssueAccepted((cert, _) => cert.Goods[0].HsCode = hsCode).Certificate.Goods[0].HsCode.Should().Be(hsCode);
    }

    [Fact]
    public void An_origin_criterion_on_a_form_without_the_box_is_refused()
    {
        IssueRefused((cert, _) => cert.Goods[0].OriginCriterion = "P", RuleCatalog.OriginCriterionInvalid, "origin_criterion 'P'", "CN-GENERAL");
    }

    [Theory]
    [InlineData("FORM-A", "")]
    [InlineData("FORM-A", "X")]
    [InlineData("FORM-A", "W")]
    [InlineData("CT-1", "RVC")]
    [InlineData("CT-1", "P")]
    public void An_origin_criterion_the_form_does_not_allow_is_refused(string formType, string criterion)
    {
        IssueRefused((cert, _) => SetCriterion(cert, formType, criterion), RuleCatalog.OriginCriterionInvalid, $"origin_criterion '{criterion}'", formType);
    }

    [Theory]
    [InlineData("FORM-A", "P")]
    [InlineData("FORM-A", "W5205")]
    [InlineData("CT-1", "CTH")]
    [InlineData("CT-1", "RVC40")]
    public void An_origin_criterion_the_form_allows_exactly_or_by_prefix_is_accepted(string formType, string criterion)
    {
        IssueAccepted((cert, _) => SetCriterion(cert, formType, criterion)).Certificate.Goods[0].OriginCriterion.Should().Be(criterion);
    }

    [Theory]
    [InlineData(0L, 20_500_000L, "KGM", "quantity_milli (0)")]
    [InlineData(-1L, 20_500_000L, "KGM", "quantity_milli (-1)")]
    [InlineData(20_000_000L, 0L, "KGM", "gross_weight_grams (0)")]
    [InlineData(20_000_000L, 20_500_000L, "LBR", "unit 'LBR'")]
    [InlineData(20_000_000L, 20_500_000L, "", "unit ''")]
    public void A_quantity_or_weight_not_positive_or_an_unknown_unit_is_refused(long quantityMilli, long grossGrams, string unit, string named)
    {
        IssueRefused((cert, _) =>
        {
            cert.Goods[0].QuantityMilli = quantityMilli;
            cert.Goods[0].GrossWeightGrams = grossGrams;
            cert.Goods[0].Unit = unit;
        }, RuleCatalog.QuantityInvalid, "goods line 1", named);
    }

    [Fact]
    public void Issue_before_the_invoice_date_is_refused()
    {
        IssueRefused((cert, _) => cert.InvoiceDateMs = cert.IssuedAtMs + 1, RuleCatalog.IssueBeforeInvoice, "issued_at_ms", "invoice_date_ms");
    }

    [Fact]
    public void Issue_on_the_invoice_date_is_accepted()
    {
        IssueAccepted((cert, _) => cert.InvoiceDateMs = cert.IssuedAtMs);
    }

    [Fact]
    public void Issue_after_the_block_time_is_refused()
    {
        IssueRefused((cert, now) => cert.IssuedAtMs = now + 1, RuleCatalog.TimeInFuture, "issued_at_ms", "block time");
    }

    [Fact]
    public void Issue_at_the_block_time_is_accepted()
    {
        IssueAccepted((cert, now) => cert.IssuedAtMs = now);
    }

    [Fact]
    public void Issue_after_departure_without_the_retrospective_mark_is_refused()
    {
        IssueRefused((cert, _) => cert.Transport.DepartureMs = cert.IssuedAtMs - 1, RuleCatalog.RetroactiveNotMarked, "transport.departure_ms", "retrospective");
    }

    [Fact]
    public void Issue_after_departure_marked_retrospective_inside_the_window_is_accepted()
    {
        IssueAccepted((cert, _) =>
        {
            cert.Transport.DepartureMs = cert.IssuedAtMs - (10 * DayMs);
            cert.Retrospective = true;
        }).Certificate.Retrospective.Should().BeTrue();
    }

    [Fact]
    public void Retrospective_issue_exactly_at_the_end_of_the_window_is_accepted()
    {
        var windowMs = Config().RetroactiveWindowMs;
        IssueAccepted((cert, _) =>
        {
            cert.Transport.DepartureMs = cert.IssuedAtMs - windowMs;
            cert.Retrospective = true;
        });
    }

    [Fact]
    public void Retrospective_issue_past_the_window_is_refused()
    {
        var windowMs = Config().RetroactiveWindowMs;
        IssueRefused((cert, _) =>
        {
            cert.Transport.DepartureMs = cert.IssuedAtMs - windowMs - 1;
            cert.Retrospective = true;
        }, RuleCatalog.RetroactiveWindowExceeded, "after transport.departure_ms", $"allowed for {windowMs} ms");
    }

    [Fact]
    public void An_exporter_of_another_country_than_the_export_country_is_refused()
    {
        IssueRefused((cert, _) => cert.Exporter.Country = "KZ", RuleCatalog.CountryMismatch, "exporter.country KZ", "export_country CN");
    }

    [Fact]
    public void Export_to_the_export_country_itself_is_refused()
    {
        IssueRefused((cert, _) => cert.ImportCountry = "CN", RuleCatalog.CountryMismatch, "import_country", "both CN");
    }
}
