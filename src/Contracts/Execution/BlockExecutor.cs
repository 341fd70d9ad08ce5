using Ledger.Contracts.State;

namespace Ledger.Contracts.Execution;

/// <summary>
/// Executes a block over a state: first the verification deadlines its time passed, then its transactions in
/// order, then its evidence. Pure: the same state, block context and
/// transactions give the same receipts and changes on every node, every time.
/// </summary>
public static class BlockExecutor
{
    /// <param name="evidence">The block's equivocation proofs, already checked: each is kept in the state after the transactions.</param>
    public static BlockExecution Execute(IStateReader state, BlockContext block, IReadOnlyList<DecodedTransaction> transactions, IReadOnlyList<Wire.EquivocationProof>? evidence = null)
    {
        var config = LedgerState.ReadConfig(state);
        if (!string.Equals(config.ChainId, block.ChainId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"block of chain '{block.ChainId}' executed on a state of chain '{config.ChainId}'", nameof(block));
        }
        var blockState = new StateOverlay(state);
        // Before the transactions: at this block's time the deadlines it passed have lapsed, so a use in the same
        // block meets the suspension, and an answer in it comes late and reinstates or annuls.
        var automatic = Certificates.VerificationDeadlines.Sweep(new LedgerState(blockState, config), block);
        var receipts = new Wire.Receipt[transactions.Count];
        for (var i = 0; i < transactions.Count; i++)
        {
            receipts[i] = TransactionExecutor.Execute(block, transactions[i], (uint)i, blockState, config);
            if (receipts[i].Code == Rules.RuleCatalog.Ok && transactions[i].Body.KindCase
                    is Wire.TxBody.KindOneofCase.ProposeMembershipChange or Wire.TxBody.KindOneofCase.ApproveMembershipChange)
            {
                // A registry change may have written the configuration: the block's next transactions see it.
                config = LedgerState.ReadConfig(blockState);
            }
        }
        var rosters = evidence is { Count: > 0 } ? new Consensus.ValidatorSets(config.ChainId, LedgerState.ReadValidatorSchedule(state, config)) : null;
        foreach (var proof in evidence ?? [])
        {
            // Positions are never reused, so the roster of the votes' height names the validator for good.
            var validator = rosters!.At(proof.First.Height).OrganisationOf((int)proof.First.ValidatorIndex);
            // Canonical: fields a copy carries beyond the protocol's must not reach the state root.
            var record = new Wire.EvidenceRecord { Proof = Consensus.EquivocationProofs.Canonical(proof), Validator = validator, CommittedHeight = block.Height };
            blockState.Set(Consensus.EquivocationProofs.StateKey(proof), Google.Protobuf.MessageExtensions.ToByteArray(record));
        }
        return new BlockExecution(receipts, blockState.Changes, automatic);
    }
}
