using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>
/// Import customs asks the issuer to verify a certificate, within the network's deadline; the issuer answers. A
/// NOT_CONFIRMED answer annuls the certificate; a CONFIRMED one lifts a suspension its request's deadline caused.
/// </summary>
public static class CertificateVerification
{
    public static Refusal? Request(TxContext ctx, RequestVerification tx)
    {
        var (cert, unknown) = CertificateLookup.Find(ctx.State, tx.CertificateId);
        if (cert is null)
        {
            return unknown;
        }
        if (!string.Equals(ctx.SignerCountry, cert.Certificate.ImportCountry, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.VerificationRequestInvalid,
                $"only customs of the import country {cert.Certificate.ImportCountry} may ask to verify {cert.Id}; '{ctx.SignerId}' is of {ctx.SignerCountry}");
        }
        if (tx.Reasons.Length == 0)
        {
            return new Refusal(RuleCatalog.VerificationRequestInvalid, "reasons are required to ask the issuer to verify a certificate");
        }
        var deadlineLengthMs = ctx.State.Config.VerificationDeadlineMs;
        var request = new VerificationRecord
        {
            RequestId = ctx.TxId.ToString(),
            RequestedBy = ctx.SignerId,
            Reasons = tx.Reasons,
            RequestedAtMs = ctx.Block.TimeMs,
            DeadlineMs = deadlineLengthMs > 0 ? ctx.Block.TimeMs + deadlineLengthMs : 0,
        };
        cert.Verifications.Add(request);
        ctx.State.Put(cert);
        if (request.DeadlineMs > 0)
        {
            VerificationDeadlines.Enqueue(ctx.State, cert.Id, request.RequestId, request.DeadlineMs);
        }
        return null;
    }

    public static Refusal? Answer(TxContext ctx, AnswerVerification tx)
    {
        var (cert, unknown) = CertificateLookup.Find(ctx.State, tx.CertificateId);
        if (cert is null)
        {
            return unknown;
        }
        if (!string.Equals(cert.Issuer, ctx.SignerId, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.VerificationRequestInvalid,
                $"only the issuer '{cert.Issuer}' may answer a verification request on {cert.Id}, not '{ctx.SignerId}'");
        }
        var request = cert.Verifications.FirstOrDefault(v => string.Equals(v.RequestId, tx.RequestId, StringComparison.Ordinal));
        if (request is null || request.Outcome != VerificationOutcome.Unspecified)
        {
            return new Refusal(RuleCatalog.VerificationRequestInvalid,
                $"request_id '{tx.RequestId}' is {(request is null ? "no verification request" : "already answered")} on {cert.Id}");
        }
        if (tx.Outcome == VerificationOutcome.Unspecified)
        {
            return new Refusal(RuleCatalog.VerificationRequestInvalid, "outcome must be CONFIRMED or NOT_CONFIRMED");
        }
        request.Outcome = tx.Outcome;
        request.Remarks = tx.Remarks;
        request.AnsweredAtMs = ctx.Block.TimeMs;
        if (tx.Outcome == VerificationOutcome.NotConfirmed)
        {
            Annul(cert, request);
        }
        else if (string.Equals(cert.SuspendedByRequest, request.RequestId, StringComparison.Ordinal))
        {
            Reinstate(cert);
        }
        ctx.State.Put(cert);
        return null;
    }

    /// <summary>
    /// The issuer did not confirm the origin: the certificate loses preferential treatment for good, used or not. Revoked
    /// and Replaced certificates keep their status, which already ends them.
    /// </summary>
    private static void Annul(CertificateRecord cert, VerificationRecord request)
    {
        if (cert.Status is CertificateStatus.Issued or CertificateStatus.Suspended or CertificateStatus.FullyUsed)
        {
            cert.Status = CertificateStatus.Annulled;
            cert.StatusReason = $"verification request {request.RequestId} of {request.RequestedBy} answered NOT_CONFIRMED: {request.Remarks}";
            cert.SuspendedByRequest = "";
        }
    }

    /// <summary>
    /// A late confirmation lifts the suspension its request's deadline caused — unless another request has lapsed
    /// unanswered too, which then holds the suspension.
    /// </summary>
    private static void Reinstate(CertificateRecord cert)
    {
        var stillLapsed = cert.Verifications.FirstOrDefault(v => v.LapsedHeight > 0 && v.Outcome == VerificationOutcome.Unspecified);
        if (stillLapsed is not null)
        {
            cert.SuspendedByRequest = stillLapsed.RequestId;
            cert.StatusReason = $"verification request {stillLapsed.RequestId} of {stillLapsed.RequestedBy} unanswered by its deadline {stillLapsed.DeadlineMs} (Unix ms)";
            return;
        }
        cert.Status = CertificateStatus.Issued;
        cert.StatusReason = "";
        cert.SuspendedByRequest = "";
    }
}
