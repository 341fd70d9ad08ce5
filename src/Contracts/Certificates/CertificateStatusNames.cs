using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>Status names as people read them, in messages and on the command line.</summary>
public static class CertificateStatusNames
{
    public static string Format(CertificateStatus status) => status switch
    {
        CertificateStatus.Issued => "Issued",
        CertificateStatus.Suspended => "Suspended",
        CertificateStatus.Replaced => "Replaced",
        CertificateStatus.Revoked => "Revoked",
        CertificateStatus.FullyUsed => "FullyUsed",
        CertificateStatus.Annulled => "Annulled",
        _ => "Unknown",
    };
}
