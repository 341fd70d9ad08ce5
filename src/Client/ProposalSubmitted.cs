using Ledger.Wire;

namespace Ledger.Client;

/// <summary>A committed proposal: its id (the hex of its transaction id), which approvals name, and its receipt.</summary>
public sealed record ProposalSubmitted(string ProposalId, CommittedReceipt Receipt);
