using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// A block applied to a state: the receipts, the state changes (sorted by key) and the state tree's
/// update — the new root and every new tree node, to be written in one batch with the block — and the
/// automatic receipts of changes made by rule (committed by the state root under "auto/&lt;height&gt;").
/// </summary>
public sealed record BlockOutcome(IReadOnlyList<Receipt> Receipts, IReadOnlyList<KeyValuePair<string, byte[]?>> Changes, TreeUpdate Tree, IReadOnlyList<Receipt> Automatic)
{
    public Hash32 StateRoot => Tree.Root;
}
