using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>
/// A duplicate shares its original's balance: the remaining quantities live on the original, and a
/// use of either is a use of both.
/// </summary>
public static class CertificateBalance
{
    /// <summary>The record that holds the balance: the original for a duplicate, else the certificate itself.</summary>
    public static CertificateRecord Holder(LedgerState state, CertificateRecord cert) =>
        cert.DuplicateOf.Length == 0 ? cert
        : state.Certificate(cert.DuplicateOf) ?? throw new InvalidOperationException($"duplicate {cert.Id} names a missing original {cert.DuplicateOf}");

    /// <summary>Whether any quantity of the shared balance was used.</summary>
    public static bool HasUses(LedgerState state, CertificateRecord cert)
    {
        var holder = Holder(state, cert);
        return holder.RemainingMilli.Zip(holder.Certificate.Goods).Any(p => p.First != p.Second.QuantityMilli);
    }
}
