using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Wire;

namespace Ledger.Node.Chain;

/// <summary>A block built or checked on top of the head, with the outcome of executing it, kept until decided.</summary>
public sealed record ProposedBlock(Block Block, Hash32 Id, IReadOnlyList<DecodedTransaction> Transactions, BlockOutcome Outcome);
