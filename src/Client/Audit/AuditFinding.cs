namespace Ledger.Client.Audit;

/// <summary>A discrepancy the auditor found: where, which check, and what it saw.</summary>
public sealed record AuditFinding(ulong Height, string Check, string Detail)
{
    public override string ToString() => $"height {Height}: {Check}: {Detail}";
}
