using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What import customs learns about a certificate. When <see cref="Trust"/> is <see cref="AnswerTrust.Proven"/>,
/// every field comes from the proven records, not from the node's answer (which was checked to agree).
/// </summary>
/// <param name="Found">False when no certificate has the id; with <see cref="AnswerTrust.Proven"/> its absence is proven.</param>
/// <param name="Record">The proven full record: null when not found, not proven, or asked without a member identity (the node proves it only to members).</param>
/// <param name="ProvenAt">The certified header the answer was checked against (null when not proven).</param>
public sealed record CertificateVerification(
    string CertificateId,
    bool Found,
    AnswerTrust Trust,
    CertificateStatus Status,
    string StatusReason,
    string Issuer,
    string IssuerName,
    string IssuerCountry,
    ContentHashCheck ContentHash,
    IReadOnlyList<RouteVerdictInfo> Consignments,
    CertificateRecord? Record,
    ProvenHeader? ProvenAt)
{
    /// <summary>"Not found (proven)": a quorum-certified state shows that no certificate has this id.</summary>
    public bool IsProvenAbsent => !Found && Trust == AnswerTrust.Proven;

    /// <summary>The id of the certificate that replaced this one (its successor); empty when none.</summary>
    public string ReplacedBy { get; init; } = "";

    /// <summary>The id of the certificate this one replaces (its predecessor); empty when none.</summary>
    public string Replaces { get; init; } = "";

    /// <summary>Issued and not suspended, replaced, revoked or used up.</summary>
    public bool IsActive => Found && Status == CertificateStatus.Issued;
}
