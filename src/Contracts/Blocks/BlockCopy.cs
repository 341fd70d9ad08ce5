using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Blocks;

/// <summary>
/// Whether a copy of a block is the block its id names. A block's id is its header's hash; the header commits to the
/// transactions (ids and signatures, through tx_root), their count, the equivocation proofs (evidence_root) and the
/// previous certificate (last_commit_hash), so a copy that passes carries exactly the bytes every other passing copy
/// carries wherever validity is concerned. A copy that fails is a bad copy, not a bad block: it is dropped, and nothing is
/// concluded about the id. Nothing here throws, whatever a peer sent.
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
        if (ShapeMismatch(block) is { } shape)
        {
            return shape;
        }
        var header = block.Header;
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
        if (BlockHashing.TxRoot(ids, block.Transactions) != new Hash32(header.TxRoot.Span))
        {
            return "the transactions or their signatures do not match tx_root";
        }
        if (Consensus.EquivocationProofs.Root(block.Evidence) != new Hash32(header.EvidenceRoot.Span))
        {
            return "the evidence does not match evidence_root";
        }
        var lastCommitMatches = block.LastCommit is null
            ? header.LastCommitHash.IsEmpty
            : header.LastCommitHash.Length == Hash32.Size && BlockHashing.CommitHash(chainId, block.LastCommit) == new Hash32(header.LastCommitHash.Span);
        return lastCommitMatches ? null : "last_commit does not match last_commit_hash";
    }

    /// <summary>
    /// Null when every hash field a block's hashes read has a length the canonical encoding can write (32 bytes, or empty
    /// where absent is allowed): hashing such a block cannot fail.
    /// </summary>
    public static string? ShapeMismatch(Block block)
    {
        if (block.Header is not { } header)
        {
            return "the copy has no header";
        }
        if (!IsHash(header.PreviousBlockHash) || !IsHashOrEmpty(header.LastCommitHash) || !IsHash(header.TxRoot)
            || !IsHash(header.StateRoot) || !IsHash(header.ReceiptsRoot) || !IsHash(header.EvidenceRoot)
            || !IsHash(header.ValidatorsHash) || !IsHash(header.NextValidatorsHash))
        {
            return "a hash of the header is not 32 bytes";
        }
        return block.LastCommit is { } commit && !IsHashOrEmpty(commit.BlockHash) ? "the last commit's block hash is not 32 bytes" : null;
    }

    /// <summary>
    /// The same block with nothing but the fields the protocol defines: protobuf keeps fields it does not know, which no
    /// hash covers, so a node keeps and stores this copy, and padding a copy changes neither a verdict nor the disk.
    /// </summary>
    public static Block Canonical(Block block)
    {
        var copy = new Block { Header = block.Header is { } h ? Canonical(h) : null, LastCommit = block.LastCommit is { } c ? Canonical(c) : null };
        foreach (var envelope in block.Transactions)
        {
            copy.Transactions.Add(new TxEnvelope { Body = envelope.Body, Signature = envelope.Signature });
        }
        foreach (var proof in block.Evidence)
        {
            copy.Evidence.Add(Consensus.EquivocationProofs.Canonical(proof));
        }
        return copy;
    }

    public static BlockHeader Canonical(BlockHeader h) => new()
    {
        ChainId = h.ChainId,
        Height = h.Height,
        TimeMs = h.TimeMs,
        PreviousBlockHash = h.PreviousBlockHash,
        LastCommitHash = h.LastCommitHash,
        TxRoot = h.TxRoot,
        StateRoot = h.StateRoot,
        ReceiptsRoot = h.ReceiptsRoot,
        Proposer = h.Proposer,
        TxCount = h.TxCount,
        EvidenceRoot = h.EvidenceRoot,
        ValidatorsHash = h.ValidatorsHash,
        NextValidatorsHash = h.NextValidatorsHash,
    };

    public static CommitCertificate Canonical(CommitCertificate c)
    {
        var copy = new CommitCertificate { Height = c.Height, Round = c.Round, BlockHash = c.BlockHash };
        copy.Signatures.AddRange(c.Signatures.Select(s => new CommitSignature { ValidatorIndex = s.ValidatorIndex, Signature = s.Signature }));
        return copy;
    }

    private static bool IsHash(Google.Protobuf.ByteString value) => value.Length == Hash32.Size;

    private static bool IsHashOrEmpty(Google.Protobuf.ByteString value) => value.IsEmpty || value.Length == Hash32.Size;
}
