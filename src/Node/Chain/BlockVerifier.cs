using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Wire;

namespace Ledger.Node.Chain;

/// <summary>
/// valid(v) for a proposed block (CONSENSUS-NOTES rule 9): the same answer on every honest node, since
/// it reads only the block, the committed chain and the validator set — no local clock, no mempool
/// state. A transaction a contract refuses does not make the block invalid (its receipt says so); one
/// that fails the stateless rules or its signature does.
/// </summary>
public static class BlockVerifier
{
    /// <param name="knownTransaction">Transactions this node already decoded (its mempool), to skip their signature check.</param>
    /// <param name="headCommitIsValid">Checks the previous block's certificate against the validator set.</param>
    /// <param name="evidenceMismatch">An equivocation proof's stateless rules (<see cref="EquivocationProofs.Mismatch"/>) at this block's height.</param>
    public static BlockCheck Verify(
        ChainView chain,
        Block block,
        BlockLimits limits,
        Func<Hash32, DecodedTransaction?> knownTransaction,
        Func<CommitCertificate, bool> headCommitIsValid,
        Func<EquivocationProof, string?> evidenceMismatch)
    {
        var header = block.Header;
        if (header is null)
        {
            return BlockCheck.Invalid("the block has no header");
        }
        var id = BlockHashing.HeaderHash(header);
        var shape = CheckHeader(chain, block, limits, headCommitIsValid);
        if (shape is not null)
        {
            return BlockCheck.Invalid(shape);
        }
        if (CheckEvidence(chain, block, evidenceMismatch) is { } evidence)
        {
            return BlockCheck.Invalid(evidence);
        }
        var transactions = new DecodedTransaction[block.Transactions.Count];
        var seen = new HashSet<Hash32>();
        for (var i = 0; i < transactions.Length; i++)
        {
            var envelope = block.Transactions[i];
            var txId = SignedBytes.TransactionId(chain.Config.ChainId, envelope.Body.Span);
            var decoded = knownTransaction(txId) is { } known && known.Envelope.Equals(envelope)
                ? known
                : TransactionDecoder.Decode(envelope, chain.Config.ChainId, chain.Config.Limits) is { Transaction: { } fresh } ? fresh : null;
            if (decoded is null)
            {
                return BlockCheck.Invalid($"transaction {i} ({txId}) fails the stateless rules or its signature");
            }
            if (!seen.Add(txId))
            {
                return BlockCheck.Invalid($"transaction {txId} appears twice in the block");
            }
            transactions[i] = decoded;
        }
        if (BlockHashing.TxRoot(transactions.Select(t => t.Id).ToArray(), block.Transactions) != new Hash32(header.TxRoot.Span))
        {
            return BlockCheck.Invalid("tx_root does not match the transactions");
        }
        var outcome = LedgerStateMachine.Apply(chain.State, chain.Tree, chain.StateRoot,
            new BlockContext(chain.Config.ChainId, header.Height, header.TimeMs), transactions, block.Evidence);
        if (outcome.StateRoot != new Hash32(header.StateRoot.Span))
        {
            return BlockCheck.Invalid($"state_root {Convert.ToHexStringLower(header.StateRoot.Span)} differs from the root after execution, {outcome.StateRoot}");
        }
        if (BlockHashing.ReceiptsRoot(outcome.Receipts) != new Hash32(header.ReceiptsRoot.Span))
        {
            return BlockCheck.Invalid("receipts_root differs from the receipts of execution");
        }
        return BlockCheck.Valid(new ProposedBlock(block, id, transactions, outcome));
    }

    /// <summary>The header's rules, without the transactions: what a proposer checks of its own block before proposing it.</summary>
    public static string? CheckHeader(ChainView chain, Block block, BlockLimits limits, Func<CommitCertificate, bool> headCommitIsValid)
    {
        var header = block.Header;
        if (header.ChainId != chain.Config.ChainId)
        {
            return $"chain_id '{header.ChainId}' is not '{chain.Config.ChainId}'";
        }
        if (header.Height != chain.Height + 1)
        {
            return $"height {header.Height} does not follow the head {chain.Height}";
        }
        if (header.PreviousBlockHash.Length != Hash32.Size || new Hash32(header.PreviousBlockHash.Span) != chain.HeadHash)
        {
            return "previous_block_hash is not the head's hash";
        }
        if (BlockTime.Mismatch(chain.HeadTimeMs, header.TimeMs) is { } time)
        {
            return time;
        }
        // The sets of this height and the next are known from the committed chain (a change is in force two heights on).
        var rosters = chain.Rosters();
        var roster = rosters.At(header.Height);
        if (header.ValidatorsHash.Length != Hash32.Size || new Hash32(header.ValidatorsHash.Span) != roster.Hash)
        {
            return $"validators_hash is not the hash of the validator set of height {header.Height}";
        }
        if (header.NextValidatorsHash.Length != Hash32.Size || new Hash32(header.NextValidatorsHash.Span) != rosters.At(header.Height + 1).Hash)
        {
            return $"next_validators_hash is not the hash of the validator set of height {header.Height + 1}";
        }
        // A later round may re-propose a block built by another validator, so the header names whoever built it.
        if (!roster.Set.Members.Any(i => roster.OrganisationOf(i) == header.Proposer))
        {
            return $"proposer '{header.Proposer}' is not a validator of height {header.Height}";
        }
        if (header.TxCount != block.Transactions.Count || block.Transactions.Count > limits.TransactionsMax)
        {
            return $"tx_count {header.TxCount} with {block.Transactions.Count} transactions (at most {limits.TransactionsMax})";
        }
        // The bytes the id commits to (body and signature), not the copy's encoding: padding a copy must not change a verdict.
        if (block.Transactions.Sum(t => (long)t.Body.Length + t.Signature.Length) > limits.BytesMax)
        {
            return $"the transactions exceed {limits.BytesMax} bytes";
        }
        return CheckLastCommit(chain, block, headCommitIsValid);
    }

    /// <summary>Each proof by its rules, once in the block and never committed before; their root is the header's.</summary>
    private static string? CheckEvidence(ChainView chain, Block block, Func<EquivocationProof, string?> evidenceMismatch)
    {
        if (block.Evidence.Count > EquivocationProofs.PerBlockMax)
        {
            return $"{block.Evidence.Count} equivocation proofs (at most {EquivocationProofs.PerBlockMax})";
        }
        if (block.Header.EvidenceRoot.Length != Hash32.Size || EquivocationProofs.Root(block.Evidence) != new Hash32(block.Header.EvidenceRoot.Span))
        {
            return "evidence_root does not match the evidence";
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < block.Evidence.Count; i++)
        {
            var proof = block.Evidence[i];
            if (evidenceMismatch(proof) is { } rule)
            {
                return $"equivocation proof {i}: {rule}";
            }
            var key = EquivocationProofs.StateKey(proof);
            if (!keys.Add(key) || chain.State.Get(key) is not null)
            {
                return $"equivocation proof {i} ({key}) is on the ledger already";
            }
        }
        return null;
    }

    private static string? CheckLastCommit(ChainView chain, Block block, Func<CommitCertificate, bool> headCommitIsValid)
    {
        var header = block.Header;
        if (chain.Height == 0)
        {
            return block.LastCommit is null && header.LastCommitHash.IsEmpty ? null : "the first block carries no last commit";
        }
        if (block.LastCommit is null)
        {
            return "last_commit is missing";
        }
        if (block.LastCommit.Height != chain.Height || block.LastCommit.BlockHash.Length != Hash32.Size
            || new Hash32(block.LastCommit.BlockHash.Span) != chain.HeadHash)
        {
            return "last_commit does not certify the head";
        }
        if (header.LastCommitHash.Length != Hash32.Size || new Hash32(header.LastCommitHash.Span) != BlockHashing.CommitHash(chain.Config.ChainId, block.LastCommit))
        {
            return "last_commit_hash does not match last_commit";
        }
        return headCommitIsValid(block.LastCommit) ? null : "last_commit is not signed by more than two thirds of the validators";
    }
}
