using Ledger.Wire;

namespace Ledger.Client;

/// <summary>A membership proposal; with <see cref="AnswerTrust.Proven"/>, read from the proven state entry.</summary>
/// <param name="Found">False when no proposal has the id; with <see cref="AnswerTrust.Proven"/> its absence is proven.</param>
public sealed record ProposalLookup(string ProposalId, bool Found, AnswerTrust Trust, ProposalRecord? Proposal, ProvenHeader? ProvenAt);
