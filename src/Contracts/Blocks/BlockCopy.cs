using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Blocks;

/// <summary>
/// Whether a copy of a block is the block its id names. A block's id is its header's hash; the header commits to the
/// transactions (ids and signatures, through tx_root), their count, the equivocation proofs (evidence_root) and the
/// previous certificate (last_commit_hash), so a
/// copy that passes carries exactly the bytes every other passing copy carries wherever validity is concerned. A copy
/// that fails is a bad copy, not a bad block: it is dropped, and nothing is concluded about the id.
/// </summary>
public static class BlockCopy
{
    /// <summary>
    /// The largest copy worth reading: the protocol's transaction bytes (12 MiB, PROTOCOL.md "Limits") with room for the
    /// header, the certificate and protobuf's framing. A larger copy can only be padding.
    /// </summary>
    public const long BytesMax = 13L * 1024 * 1024;

    /// <summary>Null when <paramref name="block"/> is the block <paramref name="id"/> names; otherwise what differs.</summary>
    public static string? Mismatch(string chainId, Block block, Hash32 id)
    {
        if (block.Header is not { } header)
        {
            return "the copy has no header";
        }
        if (BlockHashing.HeaderHash(header) != id)
        {
            return "the header does not hash to the id";
        }
        if (block.CalculateSize() > BytesMax)
        {
            return $"the copy is larger than {BytesMax} bytes";
        }
        if (header.TxCount != block.Transactions.Count)
        {
            return $"tx_count {header.TxCount} with {block.Transactions.Count} transactions";
        }
        var ids = new Hash32[block.Transactions.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = SignedBytes.TransactionId(chainId, block.Transactions[i].Body.Span);
        }
        if (header.TxRoot.Length != Hash32.Size || BlockHashing.TxRoot(ids, block.Transactions) != new Hash32(header.TxRoot.Span))
        {
            return "the transactions or their signatures do not match tx_root";
        }
        if (header.EvidenceRoot.Length != Hash32.Size || Consensus.EquivocationProofs.Root(block.Evidence) != new Hash32(header.EvidenceRoot.Span))
        {
            return "the evidence does not match evidence_root";
        }
        var lastCommitMatches = block.LastCommit is null
            ? header.LastCommitHash.IsEmpty
            : header.LastCommitHash.Length == Hash32.Size && BlockHashing.CommitHash(chainId, block.LastCommit) == new Hash32(header.LastCommitHash.Span);
        return lastCommitMatches ? null : "last_commit does not match last_commit_hash";
    }
}
