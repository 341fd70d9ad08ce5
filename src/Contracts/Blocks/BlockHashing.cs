using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Blocks;

/// <summary>The hashes that chain blocks together, each over canonical bytes defined once here and in PROTOCOL.md.</summary>
public static class BlockHashing
{
    public const string BlockTag = "ledger.v1/block";
    public const string CommitTag = "ledger.v1/commit";

    /// <summary>The block's id: SHA-256 of the header's canonical bytes.</summary>
    public static Hash32 HeaderHash(BlockHeader header) => Hash32.Sha256(HeaderBytes(header));

    public static byte[] HeaderBytes(BlockHeader header) => SignedBytes.Compose(BlockTag, header.ChainId, new CanonicalWriter()
        .U64(header.Height)
        .I64(header.TimeMs)
        .Hash(header.PreviousBlockHash.Span)
        .Hash(header.LastCommitHash.Span)
        .Hash(header.TxRoot.Span)
        .Hash(header.StateRoot.Span)
        .Hash(header.ReceiptsRoot.Span)
        .String(header.Proposer)
        .U32(header.TxCount)
        .Hash(header.EvidenceRoot.Span)
        .Hash(header.ValidatorsHash.Span)
        .Hash(header.NextValidatorsHash.Span)
        .ToArray());

    /// <summary>The hash the next header carries as last_commit_hash.</summary>
    public static Hash32 CommitHash(string chainId, CommitCertificate commit)
    {
        var writer = new CanonicalWriter()
            .U64(commit.Height)
            .U32(commit.Round)
            .Hash(commit.BlockHash.Span)
            .U32((uint)commit.Signatures.Count);
        foreach (var signature in commit.Signatures)
        {
            writer.U32(signature.ValidatorIndex).Bytes(signature.Signature.Span);
        }
        return Hash32.Sha256(SignedBytes.Compose(CommitTag, chainId, writer.ToArray()));
    }

    /// <summary>
    /// Merkle root of the transactions in block order, each leaf its id and its signature: the block's id then commits to
    /// every byte its validity depends on, so two copies under one id cannot get different verdicts (PROTOCOL.md, "Blocks").
    /// </summary>
    public static Hash32 TxRoot(IReadOnlyList<Hash32> txIds, IReadOnlyList<TxEnvelope> envelopes)
    {
        if (txIds.Count != envelopes.Count)
        {
            throw new ArgumentException($"{txIds.Count} ids for {envelopes.Count} transactions", nameof(envelopes));
        }
        var leaves = new byte[txIds.Count][];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = TxLeaf(txIds[i], envelopes[i].Signature.Span);
        }
        return MerkleList.Root(leaves);
    }

    /// <summary>A transaction's leaf in tx_root: hash(tx_id) || bytes(signature).</summary>
    public static byte[] TxLeaf(Hash32 txId, ReadOnlySpan<byte> signature) => new CanonicalWriter().Hash(txId.Span).Bytes(signature).ToArray();

    /// <summary>Merkle root of the receipts' canonical bytes, in block order.</summary>
    public static Hash32 ReceiptsRoot(IEnumerable<Receipt> receipts) => MerkleList.Root(receipts.Select(ReceiptBytes).ToArray());

    public static byte[] ReceiptBytes(Receipt receipt)
    {
        var writer = new CanonicalWriter().Hash(receipt.TxId.Span).String(receipt.Code).String(receipt.Message).U32((uint)receipt.Breaches.Count);
        foreach (var breach in receipt.Breaches)
        {
            writer.String(breach);
        }
        return writer.ToArray();
    }
}
