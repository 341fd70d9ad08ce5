using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// A block applied to a state: the receipts, the state changes (sorted by key) and the state tree's
/// update — the new root and every new tree node, to be written in one batch with the block.
/// </summary>
public sealed record BlockOutcome(IReadOnlyList<Receipt> Receipts, IReadOnlyList<KeyValuePair<string, byte[]?>> Changes, TreeUpdate Tree)
{
    public Hash32 StateRoot => Tree.Root;
}
