namespace Ledger.Contracts.Certificates;

/// <summary>A certificate's id is "&lt;issuer org id&gt;/&lt;number&gt;": numbers are unique per issuer, not across issuers.</summary>
public static class CertificateIds
{
    public static string Of(string issuerId, string number) => issuerId + "/" + number;
}
