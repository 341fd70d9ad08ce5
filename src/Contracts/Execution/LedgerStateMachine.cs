using System.Text;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;

namespace Ledger.Contracts.Execution;

/// <summary>
/// <c>apply(state, block) -> (new state, receipts, state root)</c>. The state is read through
/// <see cref="IStateReader"/>; its root commits to every key but transaction marks
/// (<see cref="StateKeys.IsInStateRoot"/>) through the sparse Merkle tree, whose
/// nodes are read through <see cref="ITreePageReader"/>. Nothing is written: the outcome carries the
/// changes and tree nodes for the caller to store in one batch.
/// </summary>
public static class LedgerStateMachine
{
    public static BlockOutcome Apply(
        IStateReader state, ITreePageReader treeNodes, Hash32 stateRoot, BlockContext block, IReadOnlyList<DecodedTransaction> transactions,
        IReadOnlyList<Wire.EquivocationProof>? evidence = null)
    {
        var execution = BlockExecutor.Execute(state, block, transactions, evidence);
        var tree = new SparseMerkleTree(treeNodes, stateRoot).Apply(TreeChanges(execution.Changes));
        return new BlockOutcome(execution.Receipts, execution.Changes, tree, execution.Automatic);
    }

    /// <summary>The root committing to the genesis entries, from an empty tree.</summary>
    public static TreeUpdate Genesis(IReadOnlyList<KeyValuePair<string, byte[]?>> entries, ITreePageReader emptyTree) =>
        new SparseMerkleTree(emptyTree, SparseMerkleTree.EmptyRoot).Apply(TreeChanges(entries));

    /// <summary>State keys are committed to the tree as their UTF-8 bytes.</summary>
    public static byte[] TreeKey(string stateKey) => Encoding.UTF8.GetBytes(stateKey);

    /// <summary>The changes to the tree that state changes make: those of the keys the root commits to.</summary>
    public static KeyValuePair<byte[], byte[]?>[] TreeChanges(IEnumerable<KeyValuePair<string, byte[]?>> changes) =>
        changes.Where(c => StateKeys.IsInStateRoot(c.Key)).Select(c => new KeyValuePair<byte[], byte[]?>(TreeKey(c.Key), c.Value)).ToArray();
}
