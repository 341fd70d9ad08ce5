using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.CertificateSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class VerificationRuleTests
{
    private const string Number = "CN-2026-0500";
    private const string CertId = CnChamber + "/" + Number;

    private static Action<TxBody> Request(string certId, string reasons = "origin of the yarn doubtful") =>
        b => b.RequestVerification = new RequestVerification { CertificateId = certId, Reasons = reasons };

    private static Action<TxBody> Answer(string requestId, VerificationOutcome outcome = VerificationOutcome.Confirmed) =>
        b => b.AnswerVerification = new AnswerVerification { CertificateId = CertId, RequestId = requestId, Outcome = outcome, Remarks = "mill records checked" };

    /// <summary>Issues the certificate and has import customs ask to verify it; returns the request id.</summary>
    private static string Requested(TestLedger ledger)
    {
        Issue(ledger, Number);
        // A request is known by the hex of its transaction id.
        return Convert.ToHexStringLower(ledger.SubmitOk(KzCustoms, Request(CertId)).TxId.Span);
    }

    [Fact]
    public void Import_customs_asks_the_issuer_to_verify_and_the_issuer_answers()
    {
        var ledger = new TestLedger();
        var requestId = Requested(ledger);

        var request = ledger.State.Certificate(CertId)!.Verifications.Single();
        request.RequestId.Should().Be(requestId);
        request.RequestedBy.Should().Be(KzCustoms);
        request.Outcome.Should().Be(VerificationOutcome.Unspecified);

        ledger.SubmitOk(CnChamber, Answer(requestId));

        var answered = ledger.State.Certificate(CertId)!.Verifications.Single();
        answered.Outcome.Should().Be(VerificationOutcome.Confirmed);
        answered.Remarks.Should().Be("mill records checked");
        answered.AnsweredAtMs.Should().BeGreaterThan(answered.RequestedAtMs);
    }

    [Fact]
    public void A_request_from_customs_of_another_country_than_the_import_country_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(CnCustoms, Request(CertId), RuleCatalog.VerificationRequestInvalid, "import country KZ", $"'{CnCustoms}'");

        ledger.State.Certificate(CertId)!.Verifications.Should().BeEmpty();
    }

    [Fact]
    public void A_request_without_reasons_is_refused()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);

        ledger.SubmitRefused(KzCustoms, Request(CertId, reasons: ""), RuleCatalog.VerificationRequestInvalid, "reasons");
    }

    [Fact]
    public void A_request_about_an_unknown_certificate_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(KzCustoms, Request(CertId), RuleCatalog.CertUnknown, CertId);
    }

    [Fact]
    public void An_answer_from_other_than_the_issuer_is_refused()
    {
        var ledger = new TestLedger();
        var requestId = Requested(ledger);

        ledger.SubmitRefused(KzChamber, Answer(requestId), RuleCatalog.VerificationRequestInvalid, $"only the issuer '{CnChamber}'", $"'{KzChamber}'");

        ledger.State.Certificate(CertId)!.Verifications.Single().Outcome.Should().Be(VerificationOutcome.Unspecified);
    }

    [Fact]
    public void An_answer_to_no_request_is_refused()
    {
        var ledger = new TestLedger();
        Requested(ledger);

        ledger.SubmitRefused(CnChamber, Answer("00ff"), RuleCatalog.VerificationRequestInvalid, "request_id '00ff'", "no verification request");
    }

    [Fact]
    public void A_second_answer_to_the_same_request_is_refused()
    {
        var ledger = new TestLedger();
        var requestId = Requested(ledger);
        ledger.SubmitOk(CnChamber, Answer(requestId));

        ledger.SubmitRefused(CnChamber, Answer(requestId, VerificationOutcome.NotConfirmed), RuleCatalog.VerificationRequestInvalid, requestId, "already answered");

        ledger.State.Certificate(CertId)!.Verifications.Single().Outcome.Should().Be(VerificationOutcome.Confirmed);
    }

    [Fact]
    public void An_answer_without_an_outcome_is_refused()
    {
        var ledger = new TestLedger();
        var requestId = Requested(ledger);

        ledger.SubmitRefused(CnChamber, Answer(requestId, VerificationOutcome.Unspecified), RuleCatalog.VerificationRequestInvalid, "outcome");
    }
}
