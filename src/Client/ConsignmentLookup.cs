using Ledger.Wire;

namespace Ledger.Client;

/// <summary>A consignment and its route verdict; with <see cref="AnswerTrust.Proven"/>, recomputed from the proven record.</summary>
/// <param name="Found">False when no consignment has the id; with <see cref="AnswerTrust.Proven"/> its absence is proven.</param>
public sealed record ConsignmentLookup(
    string ConsignmentId,
    bool Found,
    AnswerTrust Trust,
    ConsignmentRecord? Record,
    RouteVerdictInfo? Verdict,
    ProvenHeader? ProvenAt)
{
    public bool IsProvenAbsent => !Found && Trust == AnswerTrust.Proven;
}
