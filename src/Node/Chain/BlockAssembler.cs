using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Execution;
using Ledger.Wire;

namespace Ledger.Node.Chain;

/// <summary>The proposer's side: a block on top of the head from waiting transactions, executed at once so its header carries its own state root.</summary>
public static class BlockAssembler
{
    /// <exception cref="InvalidOperationException">The head's time is the last block time: no block can follow it.</exception>
    /// <param name="evidence">Checked equivocation proofs not yet on the ledger, at most <see cref="Contracts.Consensus.EquivocationProofs.PerBlockMax"/>.</param>
    public static ProposedBlock Assemble(ChainView chain, string proposer, long clockMs, IReadOnlyList<DecodedTransaction> transactions,
        IReadOnlyList<EquivocationProof>? evidence = null)
    {
        evidence ??= [];
        var height = chain.Height + 1;
        // Block time only moves forward, whatever the proposer's clock says.
        var timeMs = BlockTime.Next(chain.HeadTimeMs, clockMs)
            ?? throw new InvalidOperationException($"the head's time {chain.HeadTimeMs} is the last block time: no block can follow it");
        var outcome = LedgerStateMachine.Apply(chain.State, chain.Tree, chain.StateRoot,
            new BlockContext(chain.Config.ChainId, height, timeMs), transactions, evidence);
        var rosters = chain.Rosters();
        var header = new BlockHeader
        {
            ChainId = chain.Config.ChainId,
            Height = height,
            TimeMs = timeMs,
            PreviousBlockHash = ByteString.CopyFrom(chain.HeadHash.Span),
            LastCommitHash = chain.HeadCommit is null ? ByteString.Empty : ByteString.CopyFrom(BlockHashing.CommitHash(chain.Config.ChainId, chain.HeadCommit).Span),
            TxRoot = ByteString.CopyFrom(BlockHashing.TxRoot(transactions.Select(t => t.Id).ToArray(), transactions.Select(t => t.Envelope).ToArray()).Span),
            StateRoot = ByteString.CopyFrom(outcome.StateRoot.Span),
            ReceiptsRoot = ByteString.CopyFrom(BlockHashing.ReceiptsRoot(outcome.Receipts).Span),
            Proposer = proposer,
            TxCount = (uint)transactions.Count,
            EvidenceRoot = ByteString.CopyFrom(Contracts.Consensus.EquivocationProofs.Root(evidence).Span),
            ValidatorsHash = ByteString.CopyFrom(rosters.At(height).Hash.Span),
            NextValidatorsHash = ByteString.CopyFrom(rosters.At(height + 1).Hash.Span),
        };
        var block = new Block { Header = header, LastCommit = chain.HeadCommit };
        block.Evidence.AddRange(evidence);
        block.Transactions.AddRange(transactions.Select(t => t.Envelope));
        return new ProposedBlock(block, BlockHashing.HeaderHash(header), transactions, outcome);
    }
}
