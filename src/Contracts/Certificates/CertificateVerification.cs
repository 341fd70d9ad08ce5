using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>Import customs asks the issuer to verify a certificate; the issuer answers.</summary>
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
        cert.Verifications.Add(new VerificationRecord
        {
            RequestId = ctx.TxId.ToString(),
            RequestedBy = ctx.SignerId,
            Reasons = tx.Reasons,
            RequestedAtMs = ctx.Block.TimeMs,
        });
        ctx.State.Put(cert);
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
        ctx.State.Put(cert);
        return null;
    }
}
