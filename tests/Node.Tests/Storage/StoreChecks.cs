using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Node.Tests.Storage;

/// <summary>What every test expects of a store that holds a synthetic chain up to its head.</summary>
internal static class StoreChecks
{
    /// <summary>
    /// Rebuilds the same deterministic chain and asserts the store holds exactly it: every block and
    /// certificate, linked by hash; the head's state root; values and proofs from the stored tree.
    /// Returns the rebuilt chain, positioned at the store's head, ready to make the next block.
    /// </summary>
    public static SyntheticChain HoldsChain(BlockStore store, int seed, int transactionsPerBlock)
    {
        var expected = new SyntheticChain(seed, transactionsPerBlock, valueBytes: 1_536);
        CommittedBlock? last = null;
        var previousHash = Hash32.Zero;
        while (expected.Head.Height < store.Head.Height)
        {
            last = expected.Next();
            var block = store.GetBlock(last.Height);
            block.Should().NotBeNull($"height {last.Height} is below the head");
            BlockHashing.HeaderHash(block!.Header).Should().Be(last.BlockHash);
            new Hash32(block.Header.PreviousBlockHash.Span).Should().Be(previousHash, "blocks are chained by hash");
            store.GetCommit(last.Height)!.BlockHash.Span.SequenceEqual(last.BlockHash.Span).Should().BeTrue();
            store.GetReceipts(last.Height).Should().HaveCount(transactionsPerBlock);
            previousHash = last.BlockHash;
        }
        store.Head.Should().Be(expected.Head, "the head's hash and state root are the rebuilt chain's");
        if (last is not null)
        {
            // The values and the tree agree: each changed key has its rebuilt value, provably under the root.
            var tree = new SparseMerkleTree(store.TreePages, store.Head.StateRoot);
            foreach (var (key, _) in last.Changes.Take(50))
            {
                var value = expected.State.Get(key);
                store.State.Get(key).Should().Equal(value);
                if (!StateKeys.IsInStateRoot(key))
                {
                    continue;
                }
                var proof = tree.Prove(LedgerStateMachine.TreeKey(key));
                StateProof.Verify(store.Head.StateRoot, LedgerStateMachine.TreeKey(key), value, proof).Should().BeTrue($"{key} is proven");
            }
            store.FindTransaction(last.TxIds[^1])!.Height.Should().Be(last.Height);
        }
        return expected;
    }
}
