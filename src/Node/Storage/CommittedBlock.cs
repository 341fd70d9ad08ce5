using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Node.Storage;

/// <summary>
/// Everything a decided block leaves on disk, written in one transaction: the block, the certificate
/// that decided it, its receipts, and the state it produced (changes and new tree pages).
/// </summary>
/// <param name="Block">Header, transactions and the previous block's certificate.</param>
/// <param name="Commit">This block's own certificate (the one this node collected).</param>
/// <param name="BlockHash">The header hash; checked against the header before writing.</param>
/// <param name="Receipts">One per transaction, in block order.</param>
/// <param name="TxIds">The transaction ids in block order; checked against the envelopes and the tx root.</param>
/// <param name="Changes">The block's state changes, sorted by key; a null value deletes the key.</param>
/// <param name="NewTreePages">The state tree's new band pages (<see cref="TreeUpdate.NewPages"/>).</param>
/// <param name="StateRoot">The state root after the block; equals the header's.</param>
public sealed record CommittedBlock(
    Block Block,
    CommitCertificate Commit,
    Hash32 BlockHash,
    IReadOnlyList<Receipt> Receipts,
    IReadOnlyList<Hash32> TxIds,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Changes,
    IReadOnlyList<TreePage> NewTreePages,
    Hash32 StateRoot)
{
    public ulong Height => Block.Header.Height;

    /// <summary>Tree nodes of the previous root that the new one no longer holds (<see cref="TreeUpdate.StaleNodes"/>): the store drops their pages from its cache.</summary>
    public IReadOnlyList<Hash32> ReplacedTreeNodes { get; init; } = [];

    /// <summary>The block as executed: its outcome supplies receipts, changes, tree pages and root.</summary>
    public static CommittedBlock From(Block block, CommitCertificate commit, IReadOnlyList<Hash32> txIds, BlockOutcome outcome) =>
        new(block, commit, Contracts.Blocks.BlockHashing.HeaderHash(block.Header), outcome.Receipts, txIds,
            outcome.Changes, outcome.Tree.NewPages, outcome.StateRoot)
        {
            ReplacedTreeNodes = outcome.Tree.StaleNodes,
        };
}
