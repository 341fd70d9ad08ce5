using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>Finds the certificate a transaction names, or the CERT_UNKNOWN refusal that names the field.</summary>
public static class CertificateLookup
{
    public static (CertificateRecord? Certificate, Refusal? Refusal) Find(LedgerState state, string certificateId, string field = "certificate_id") =>
        state.Certificate(certificateId) is { } cert
            ? (cert, null)
            : (null, new Refusal(RuleCatalog.CertUnknown, $"{field} '{certificateId}' names no certificate"));
}
