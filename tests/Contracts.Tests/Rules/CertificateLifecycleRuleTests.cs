using Google.Protobuf;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.CertificateSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class CertificateLifecycleRuleTests
{
    private const string Number = "CN-2026-0300";
    private const string CertId = CnChamber + "/" + Number;
    private const string NewNumber = "CN-2026-0301";
    private const string NewId = CnChamber + "/" + NewNumber;

    /// <summary>Brings the certificate to a status other than active, by the transaction named.</summary>
    private static void Deactivate(TestLedger ledger, string how)
    {
        switch (how)
        {
            case "suspended": ledger.SubmitOk(CnChamber, Suspend(CertId)); break;
            case "revoked": ledger.SubmitOk(CnChamber, Revoke(CertId)); break;
            case "replaced": ledger.SubmitOk(CnChamber, Replace(ledger, CertId, "CN-2026-0399")); break;
            case "fully used":
                ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 20_000_000));
                ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-2", 2, 5_000_000));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }

    // Replacement

    [Fact]
    public void Replacing_an_active_certificate_marks_it_replaced_and_the_new_one_references_it()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitOk(CnChamber, Replace(ledger, CertId, NewNumber));

        var target = ledger.State.Certificate(CertId)!;
        target.Status.Should().Be(CertificateStatus.Replaced);
        target.ReplacedBy.Should().Be(NewId);
        target.StatusReason.Should().Be("consignee address corrected");
        var replacement = ledger.State.Certificate(NewId)!;
        replacement.Status.Should().Be(CertificateStatus.Issued);
        replacement.Replaces.Should().Be(CertId);
        replacement.RemainingMilli.Should().Equal(20_000_000, 5_000_000);
    }

    [Fact]
    public void Replacing_a_certificate_of_another_issuer_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        var before = ledger.RecordBytes("cert/" + CertId);

        ledger.SubmitRefused(KzChamber, Replace(ledger, CertId, NewNumber), RuleCatalog.ReplacementTargetInvalid, CertId, $"'{CnChamber}'", $"'{KzChamber}'");

        ledger.RecordBytes("cert/" + CertId).Should().Be(before);
        ledger.State.Certificate(KzChamber + "/" + NewNumber).Should().BeNull();
    }

    [Theory]
    [InlineData("suspended", "Suspended")]
    [InlineData("revoked", "Revoked")]
    [InlineData("replaced", "Replaced")]
    public void Replacing_a_certificate_that_is_not_active_is_refused(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        Deactivate(ledger, how);

        ledger.SubmitRefused(CnChamber, Replace(ledger, CertId, NewNumber), RuleCatalog.ReplacementTargetInvalid, CertId, $"is {status}");

        ledger.State.Certificate(NewId).Should().BeNull();
    }

    [Fact]
    public void Replacing_a_certificate_already_used_in_part_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 1_000));

        ledger.SubmitRefused(CnChamber, Replace(ledger, CertId, NewNumber), RuleCatalog.ReplacementTargetInvalid, CertId, "already used");

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Issued);
    }

    [Fact]
    public void Replacing_an_unknown_certificate_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(CnChamber, Replace(ledger, CertId, NewNumber), RuleCatalog.CertUnknown, "replaces_certificate_id", CertId);
    }

    [Fact]
    public void A_replacement_that_breaks_a_content_rule_is_refused_and_the_target_stays_active()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, b =>
        {
            Replace(ledger, CertId, NewNumber)(b);
            b.ReplaceCertificate.Certificate.Goods[0].HsCode = "5205";
        }, RuleCatalog.HsCodeInvalid, "hs_code '5205'");

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Issued);
    }

    // Revoke, suspend, reinstate

    [Fact]
    public void Revoking_an_active_certificate_records_the_reason()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitOk(CnChamber, Revoke(CertId));

        var cert = ledger.State.Certificate(CertId)!;
        cert.Status.Should().Be(CertificateStatus.Revoked);
        cert.StatusReason.Should().Be("issued in error");
    }

    [Fact]
    public void Revoking_without_a_reason_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = CertId }, RuleCatalog.RequiredFieldMissing, "reason");
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("suspend")]
    [InlineData("reinstate")]
    public void Only_the_issuing_chamber_may_change_a_certificates_status(string action)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        if (action == "reinstate")
        {
            ledger.SubmitOk(CnChamber, Suspend(CertId));
        }
        var kind = action switch { "revoke" => Revoke(CertId), "suspend" => Suspend(CertId), _ => Reinstate(CertId) };

        ledger.SubmitRefused(KzChamber, kind, RuleCatalog.RevokerNotIssuer, CertId, $"only its issuer may {action} it", $"'{KzChamber}'");
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("suspend")]
    [InlineData("reinstate")]
    public void Changing_the_status_of_an_unknown_certificate_is_refused(string action)
    {
        var ledger = new TestLedger();
        var kind = action switch { "revoke" => Revoke(CertId), "suspend" => Suspend(CertId), _ => Reinstate(CertId) };

        ledger.SubmitRefused(CnChamber, kind, RuleCatalog.CertUnknown, "certificate_id", CertId);
    }

    [Theory]
    [InlineData("revoked", "Revoked")]
    [InlineData("replaced", "Replaced by " + CnChamber + "/CN-2026-0399")]
    [InlineData("fully used", "FullyUsed")]
    public void Revoking_a_certificate_that_is_not_active_is_refused_naming_its_status(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        Deactivate(ledger, how);

        ledger.SubmitRefused(CnChamber, Revoke(CertId), RuleCatalog.CertNotActive, CertId, status);
    }

    [Fact]
    public void Revoking_a_certificate_used_in_part_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 2, 1_000));

        ledger.SubmitRefused(CnChamber, Revoke(CertId), RuleCatalog.CertAlreadyUsed, CertId, "already used");

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Issued);
    }

    [Fact]
    public void A_suspended_certificate_can_be_revoked()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Suspend(CertId));

        ledger.SubmitOk(CnChamber, Revoke(CertId));

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Revoked);
    }

    [Fact]
    public void A_suspended_certificate_is_reinstated_to_active()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Suspend(CertId));
        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Suspended);

        ledger.SubmitOk(CnChamber, Reinstate(CertId));

        ledger.State.Certificate(CertId)!.Status.Should().Be(CertificateStatus.Issued);
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 1_000));
    }

    [Fact]
    public void Suspending_without_a_reason_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, b => b.SuspendCertificate = new SuspendCertificate { CertificateId = CertId }, RuleCatalog.RequiredFieldMissing, "reason");
    }

    [Theory]
    [InlineData("suspended", "Suspended")]
    [InlineData("revoked", "Revoked")]
    public void Suspending_a_certificate_that_is_not_active_is_refused(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        Deactivate(ledger, how);

        ledger.SubmitRefused(CnChamber, Suspend(CertId), RuleCatalog.CertNotActive, CertId, status);
    }

    [Fact]
    public void Reinstating_a_certificate_that_is_not_suspended_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, Reinstate(CertId), RuleCatalog.CertNotActive, CertId, "is Issued", "only a Suspended");
    }

    // Duplicates after loss

    [Fact]
    public void A_duplicate_references_its_original_and_holds_no_balance_of_its_own()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, NewNumber));

        var duplicate = ledger.State.Certificate(NewId)!;
        duplicate.DuplicateOf.Should().Be(CertId);
        duplicate.Status.Should().Be(CertificateStatus.Issued);
        duplicate.Certificate.Number.Should().Be(NewNumber);
        duplicate.Certificate.Goods.Should().Equal(ledger.State.Certificate(CertId)!.Certificate.Goods);
        duplicate.RemainingMilli.Should().BeEmpty("the balance lives on the original");
        ledger.State.Certificate(CertId)!.Duplicates.Should().Equal(NewId);
    }

    [Theory]
    [InlineData("suspended", "Suspended")]
    [InlineData("revoked", "Revoked")]
    [InlineData("replaced", "Replaced")]
    [InlineData("fully used", "FullyUsed")]
    public void A_duplicate_of_an_inactive_original_is_refused(string how, string status)
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        Deactivate(ledger, how);

        ledger.SubmitRefused(CnChamber, Duplicate(ledger, CertId, NewNumber), RuleCatalog.DuplicateInvalid, CertId, $"is {status}");

        ledger.State.Certificate(NewId).Should().BeNull();
    }

    [Fact]
    public void A_duplicate_cannot_be_used_once_its_original_is_revoked()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, NewNumber));
        ledger.SubmitOk(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = CertId, Reason = "fraud" });

        ledger.SubmitRefused(KzCustoms, Use(NewId, "DECL-1", 1, 1_000), RuleCatalog.CertNotActive, NewId, CertId, "Revoked");
    }

    [Fact]
    public void A_duplicate_of_an_original_used_in_part_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(KzCustoms, Use(CertId, "DECL-1", 1, 1_000));

        ledger.SubmitRefused(CnChamber, Duplicate(ledger, CertId, NewNumber), RuleCatalog.DuplicateInvalid, CertId, "already used");

        ledger.State.Certificate(NewId).Should().BeNull();
    }

    [Fact]
    public void A_duplicate_of_a_duplicate_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(CnChamber, Duplicate(ledger, CertId, NewNumber));

        ledger.SubmitRefused(CnChamber, Duplicate(ledger, NewId, "CN-2026-0302"), RuleCatalog.DuplicateInvalid, NewId, $"itself a duplicate of {CertId}");

        ledger.State.Certificate(CnChamber + "/CN-2026-0302").Should().BeNull();
    }

    [Fact]
    public void A_duplicate_by_another_chamber_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzChamber, Duplicate(ledger, CertId, NewNumber), RuleCatalog.RevokerNotIssuer, CertId, $"'{KzChamber}'");
    }

    [Fact]
    public void A_duplicate_of_an_unknown_certificate_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(CnChamber, Duplicate(ledger, CertId, NewNumber), RuleCatalog.CertUnknown, "original_certificate_id", CertId);
    }

    [Fact]
    public void A_duplicate_under_a_number_the_issuer_already_used_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        Issue(ledger, NewNumber);

        ledger.SubmitRefused(CnChamber, Duplicate(ledger, CertId, NewNumber), RuleCatalog.CertNumberExists, NewNumber);
    }

    [Fact]
    public void A_duplicate_without_its_document_hash_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, b =>
        {
            Duplicate(ledger, CertId, NewNumber)(b);
            b.IssueDuplicate.ContentHash = ByteString.Empty;
        }, RuleCatalog.RequiredFieldMissing, "content_hash");
    }

    [Fact]
    public void A_duplicate_issued_after_the_block_time_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnChamber, b =>
        {
            Duplicate(ledger, CertId, NewNumber)(b);
            b.IssueDuplicate.IssuedAtMs = ledger.TimeMs + 1;
        }, RuleCatalog.TimeInFuture, "issued_at_ms");
    }
}
