using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.State;

/// <summary>The layout of the state's keys (docs/PROTOCOL.md, "State keys"). Keys are UTF-8 strings.</summary>
public static class StateKeys
{
    public const string Config = "config";
    public const string OrganisationIndex = "organisations";

    public static string Organisation(string id) => "org/" + id;

    public const string CertificatePrefix = "cert/";
    public const string CertificateStatusPrefix = "cert-status/";
    public const string ConsignmentPrefix = "consignment/";
    public const string RouteVerdictPrefix = "route-verdict/";

    public static string Certificate(string certificateId) => CertificatePrefix + certificateId;

    /// <summary>The public status of a certificate (<c>CertificateStatusRecord</c>): what a public proof covers.</summary>
    public static string CertificateStatus(string certificateId) => CertificateStatusPrefix + certificateId;

    public static string Consignment(string consignmentId) => ConsignmentPrefix + consignmentId;

    /// <summary>The public route verdict of a consignment (<c>RouteVerdictRecord</c>).</summary>
    public static string RouteVerdict(string consignmentId) => RouteVerdictPrefix + consignmentId;

    public static string Proposal(string proposalId) => "proposal/" + proposalId;

    public static string Transaction(Hash32 txId) => "tx/" + txId;
}
