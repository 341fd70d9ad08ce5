namespace Ledger.Client.Audit;

/// <summary>What a replay checked, what it found wrong, and a summary of the ledger it replayed.</summary>
public sealed record AuditReport(
    ulong FromHeight,
    ulong ToHeight,
    long Blocks,
    long Transactions,
    long Signatures,
    long Certificates,
    IReadOnlyList<AuditFinding> Findings,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> CertificatesByIssuerAndStatus,
    IReadOnlyDictionary<string, int> ConsignmentsByVerdict,
    TimeSpan Elapsed)
{
    public bool Clean => Findings.Count == 0;

    /// <summary>Committed equivocation proofs by validator organisation: faults on the ledger, not findings of the replay.</summary>
    public IReadOnlyDictionary<string, int> EquivocationsByValidator { get; init; } = new Dictionary<string, int>();
}
