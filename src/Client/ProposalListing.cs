using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// Membership proposals in the order proposed (only the pending ones when <see cref="PendingOnly"/>). With
/// <see cref="AnswerTrust.Proven"/> the list is complete: the proposal index and every proposal it names were proven.
/// </summary>
public sealed record ProposalListing(bool PendingOnly, IReadOnlyList<ProposalRecord> Proposals, AnswerTrust Trust, ProvenHeader? ProvenAt);
