using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>The issuer's changes of status: revoke, suspend, reinstate.</summary>
public static class CertificateLifecycle
{
    public static Refusal? Revoke(TxContext ctx, RevokeCertificate tx)
    {
        var (cert, refusal) = IssuersOwn(ctx, tx.CertificateId, "revoke");
        if (cert is null)
        {
            return refusal;
        }
        if (tx.Reason.Length == 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "reason is required to revoke a certificate");
        }
        if (cert.Status is not (CertificateStatus.Issued or CertificateStatus.Suspended))
        {
            return NotActive(cert, "revoked");
        }
        if (CertificateBalance.HasUses(ctx.State, cert))
        {
            return new Refusal(RuleCatalog.CertAlreadyUsed,
                $"certificate {cert.Id} was already used against an import declaration; goods cleared on it, so it can no longer be revoked");
        }
        return SetStatus(ctx, cert, CertificateStatus.Revoked, tx.Reason);
    }

    public static Refusal? Suspend(TxContext ctx, SuspendCertificate tx)
    {
        var (cert, refusal) = IssuersOwn(ctx, tx.CertificateId, "suspend");
        if (cert is null)
        {
            return refusal;
        }
        if (tx.Reason.Length == 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "reason is required to suspend a certificate");
        }
        return cert.Status == CertificateStatus.Issued
            ? SetStatus(ctx, cert, CertificateStatus.Suspended, tx.Reason)
            : NotActive(cert, "suspended");
    }

    public static Refusal? Reinstate(TxContext ctx, ReinstateCertificate tx)
    {
        var (cert, refusal) = IssuersOwn(ctx, tx.CertificateId, "reinstate");
        if (cert is null)
        {
            return refusal;
        }
        if (cert.Status != CertificateStatus.Suspended)
        {
            return new Refusal(RuleCatalog.CertNotActive,
                $"certificate {cert.Id} is {CertificateStatusNames.Format(cert.Status)}; only a Suspended certificate can be reinstated");
        }
        if (cert.SuspendedByRequest.Length > 0)
        {
            // Otherwise an issuer could lift the suspension and leave import customs' question unanswered.
            return new Refusal(RuleCatalog.VerificationAnswerRequired,
                $"certificate {cert.Id} is suspended because verification request {cert.SuspendedByRequest} passed its deadline unanswered; only a CONFIRMED answer to it reinstates the certificate");
        }
        return SetStatus(ctx, cert, CertificateStatus.Issued, "");
    }

    /// <summary>The refusal for an action that needs an active certificate, naming the status it has.</summary>
    public static Refusal NotActive(CertificateRecord cert, string action) =>
        new(RuleCatalog.CertNotActive,
            $"certificate {cert.Id} is {CertificateStatusNames.Format(cert.Status)}{(cert.ReplacedBy.Length > 0 ? $" by {cert.ReplacedBy}" : "")} and cannot be {action}");

    private static (CertificateRecord? Cert, Refusal? Refusal) IssuersOwn(TxContext ctx, string certificateId, string action)
    {
        var (cert, unknown) = CertificateLookup.Find(ctx.State, certificateId);
        if (cert is null)
        {
            return (null, unknown);
        }
        if (!string.Equals(cert.Issuer, ctx.SignerId, StringComparison.Ordinal))
        {
            return (null, new Refusal(RuleCatalog.RevokerNotIssuer,
                $"certificate {cert.Id} was issued by '{cert.Issuer}'; only its issuer may {action} it, not '{ctx.SignerId}'"));
        }
        return (cert, null);
    }

    private static Refusal? SetStatus(TxContext ctx, CertificateRecord cert, CertificateStatus status, string reason)
    {
        cert.Status = status;
        cert.StatusReason = reason;
        ctx.State.Put(cert);
        return null;
    }
}
