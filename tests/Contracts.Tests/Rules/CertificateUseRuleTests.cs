using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.CertificateSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class CertificateUseRuleTests
{
    private const string Number = "CN-2026-0400";
    private const string CertId = CnChamber + "/" + Number;
    private const string DuplicateNumber = "CN-2026-0401";
    private const string DuplicateId = CnChamber + "/" + DuplicateNumber;

    [Fact]
    public void Uses_in_parts_reduce_the_balance_and_a_use_of_exactly_the_rest_empties_it()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 15_000_000));
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-2", 1, 5_000_000));

        var cert = ledger.State.Certificate(CertId)!;
        cert.RemainingMilli.Should().Equal(0, 5_000_000);
        cert.Status.Should().Be(CertificateStatus.Issued, "goods line 2 still has a balance");
        cert.Uses.Should().ContainSingle(u => u.DeclarationNumber == "DECL-2" && u.RecordedBy == KzCustoms);

        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-3", 2, 5_000_000));
        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.FullyUsed);
    }

    [Fact]
    public void A_use_exceeding_the_remaining_quantity_is_refused_naming_the_line_and_the_rest()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 15_000_000));
        var before = ledger.RecordBytes("cert/" + CertId);

        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-2", 1, 5_000_001), RuleCatalog.UseExceedsBalance, "line 1", "5000001", "remaining 5000000", CertId);

        ledger.RecordBytes("cert/" + CertId).Should().Be(before);
    }

    [Fact]
    public void Two_parts_of_one_use_on_the_same_goods_line_count_together()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzCustoms, b =>
        {
            Use(CertId, "DECL-1", 2, 3_000_000)(b);
            b.RecordUse.Lines.Add(new UseLine { ItemNo = 2, QuantityMilli = 2_000_001 });
        }, RuleCatalog.UseExceedsBalance, "line 2", "remaining 2000000");

        ledger.State.Certificate(CertId)!.RemainingMilli.Should().Equal(20_000_000, 5_000_000);
    }

    [Fact]
    public void Customs_of_another_country_than_the_import_country_cannot_record_use()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnCustoms, Use(CertId, "DECL-1", 1, 1_000), RuleCatalog.ImportCountryMismatch, $"'{CnCustoms}'", "customs of CN", "import into KZ");
    }

    [Fact]
    public void A_use_of_a_goods_line_the_certificate_lacks_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-1", 3, 1_000), RuleCatalog.GoodsLineUnknown, "item_no 3", CertId);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1_000L)]
    public void A_use_of_a_quantity_that_is_not_positive_is_refused(long quantityMilli)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-1", 1, quantityMilli), RuleCatalog.QuantityInvalid, "line 1", $"quantity_milli {quantityMilli}");
    }

    [Fact]
    public void A_use_without_a_declaration_number_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzCustoms, Use(CertId, "", 1, 1_000), RuleCatalog.RequiredFieldMissing, "declaration_number");
    }

    [Fact]
    public void A_use_of_an_unknown_certificate_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-1", 1, 1_000), RuleCatalog.CertUnknown, "certificate_id", CertId);
    }

    [Theory]
    [InlineData("suspended", "Suspended")]
    [InlineData("revoked", "Revoked")]
    [InlineData("replaced", "Replaced")]
    [InlineData("fully used", "FullyUsed")]
    public void A_use_of_a_certificate_that_is_not_active_is_refused_naming_its_status(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        switch (how)
        {
            case "suspended": ledger.SubmitOk(CnChamber, Suspend(CertId)); break;
            case "revoked": ledger.SubmitOk(CnChamber, Revoke(CertId)); break;
            case "replaced": ledger.SubmitOk(CnChamber, Replace(ledger, CertId, "CN-2026-0499")); break;
            default:
                ledger.SubmitOk(KzCustoms, b =>
                {
                    Use(CertId, "DECL-0", 1, 20_000_000)(b);
                    b.RecordUse.Lines.Add(new UseLine { ItemNo = 2, QuantityMilli = 5_000_000 });
                });
                break;
        }

        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-1", 1, 1_000), RuleCatalog.CertNotActive, CertId, $"is {status}");
    }

    [Fact]
    public void A_use_of_a_duplicate_reduces_the_balance_of_its_original()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, DuplicateNumber));

        ledger.SubmitOk(KzCustoms, Use(DuplicateId, "DECL-1", 1, 15_000_000));

        ledger.State.Certificate(CertId)!.RemainingMilli.Should().Equal(5_000_000, 5_000_000);
        ledger.State.Certificate(DuplicateId)!.Uses.Should().ContainSingle(u => u.DeclarationNumber == "DECL-1");
        ledger.SubmitRefused(KzCustoms, Use(CertId, "DECL-2", 1, 5_000_001), RuleCatalog.UseExceedsBalance, "remaining 5000000");
        ledger.SubmitRefused(KzCustoms, Use(DuplicateId, "DECL-2", 1, 5_000_001), RuleCatalog.UseExceedsBalance, "remaining 5000000");
    }

    [Fact]
    public void Using_up_the_shared_balance_through_both_makes_original_and_duplicate_fully_used()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, DuplicateNumber));
        ledger.SubmitOk(KzCustoms, Use(DuplicateId, "DECL-1", 1, 20_000_000));

        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-2", 2, 5_000_000));

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.FullyUsed);
        ledger.State.Certificate(DuplicateId)!.Status.Should().Be(CertificateStatus.FullyUsed);
        ledger.SubmitRefused(KzCustoms, Use(DuplicateId, "DECL-3", 2, 1), RuleCatalog.CertNotActive, "FullyUsed");
    }

    [Fact]
    public void An_original_whose_duplicate_was_used_can_no_longer_be_revoked_or_replaced()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, DuplicateNumber));
        ledger.SubmitOk(KzCustoms, Use(DuplicateId, "DECL-1", 2, 1_000));

        ledger.SubmitRefused(CnChamber, Revoke(CertId), RuleCatalog.CertAlreadyUsed, CertId);
        ledger.SubmitRefused(CnChamber, Replace(ledger, CertId, "CN-2026-0402"), RuleCatalog.ReplacementTargetInvalid, "already used");
    }
}
