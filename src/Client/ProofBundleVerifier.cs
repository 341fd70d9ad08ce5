using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// Checks what a node sends as proof, trusting only the genesis validators: the certificate is a quorum's
/// for exactly this header, on our chain, not older than a header already seen, and every entry verifies
/// against the header's state root. Remembers the highest certified height it has seen, which is what
/// lets it notice a node serving an old state. Safe for concurrent use.
/// </summary>
public sealed class ProofBundleVerifier
{
    private readonly TrustedValidators _validators;
    private readonly ulong _staleBlocksTolerated;
    private long _highestSeen;

    public ProofBundleVerifier(TrustedValidators validators, ulong staleBlocksTolerated = 0)
    {
        _validators = validators;
        _staleBlocksTolerated = staleBlocksTolerated;
    }

    /// <summary>The highest height whose certificate this verifier has checked; 0 before any.</summary>
    public ulong HighestCertifiedHeight => (ulong)Interlocked.Read(ref _highestSeen);

    /// <summary>Checks the header and its certificate, then every entry's proof against the header's state root.</summary>
    /// <exception cref="UntrustedAnswerException">A check failed; the reason names it.</exception>
    public ProvenState Verify(StateProofBundle? bundle)
    {
        if (bundle is null)
        {
            throw Untrusted(UntrustedReason.ProofMissing, "a proof was asked for and the answer carries none");
        }
        foreach (var proof in bundle.ValidatorSets)
        {
            // Rosters the client knows are kept as learnt; a later one must follow from them (PROTOCOL.md, "Validator sets").
            if (proof.FromHeight > _validators.Known[^1].FromHeight
                && (proof.Header is null || proof.Certificate is null || _validators.Learn(proof.Header, proof.Certificate, proof.Validators) is not null))
            {
                throw Untrusted(UntrustedReason.ValidatorSetUnknown,
                    $"the validator roster from height {proof.FromHeight} the proof carries does not follow from the rosters this client trusts");
            }
        }
        var header = VerifyHeader(bundle.Header, bundle.Certificate, requireFresh: true);
        var entries = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var entry in bundle.Entries)
        {
            if (entries.ContainsKey(entry.Key))
            {
                throw Untrusted(UntrustedReason.ProofInvalid, $"key '{entry.Key}' is proven twice");
            }
            if (entry.Absent && !entry.Value.IsEmpty)
            {
                throw Untrusted(UntrustedReason.ProofInvalid, $"key '{entry.Key}' is marked absent and carries a value");
            }
            if (!StateKeys.IsInStateRoot(entry.Key))
            {
                // Absent from the tree whatever the state holds: its "proof" of absence would prove nothing.
                throw Untrusted(UntrustedReason.ProofInvalid, $"key '{entry.Key}' is not under the state root and cannot be proven");
            }
            var value = entry.Absent ? null : entry.Value.ToByteArray();
            if (entry.Proof is null || !Contracts.StateTree.StateProof.Verify(header.StateRoot, LedgerStateMachine.TreeKey(entry.Key), value, entry.Proof))
            {
                throw Untrusted(UntrustedReason.ProofInvalid,
                    $"the proof of key '{entry.Key}' ({(entry.Absent ? "absent" : $"{value!.Length} value bytes")}) does not verify against state root {header.StateRoot} of height {header.Height}");
            }
            entries.Add(entry.Key, value);
        }
        return new ProvenState(header, entries);
    }

    /// <summary>
    /// Checks that <paramref name="certificate"/> is a commit certificate of the trusted validators for exactly
    /// <paramref name="header"/> on our chain; with <paramref name="requireFresh"/>, also that the header is not
    /// older than the newest one seen (less the tolerance).
    /// </summary>
    /// <exception cref="UntrustedAnswerException">A check failed; the reason names it.</exception>
    public ProvenHeader VerifyHeader(BlockHeader? header, CommitCertificate? certificate, bool requireFresh)
    {
        if (header is null || certificate is null)
        {
            throw Untrusted(UntrustedReason.ProofMissing, "the proof has no header or no commit certificate (a node at height 0 has nothing certified to prove against)");
        }
        if (header.ChainId != _validators.ChainId)
        {
            throw Untrusted(UntrustedReason.WrongChain, $"the header is for chain '{header.ChainId}', not '{_validators.ChainId}'");
        }
        if (BlockCopy.ShapeMismatch(new Block { Header = header }) is { } shape)
        {
            throw Untrusted(UntrustedReason.ProofInvalid, $"the header cannot be hashed: {shape}");
        }
        // The set the client has learnt for this height, from the genesis through proven changes: the header must name it.
        var roster = _validators.At(header.Height);
        if (header.ValidatorsHash.Length != Hash32.Size || new Hash32(header.ValidatorsHash.Span) != roster.Hash)
        {
            throw Untrusted(UntrustedReason.ValidatorSetUnknown,
                $"the header of height {header.Height} names a validator set other than the one this client learnt for that height (from height {roster.FromHeight}): learn the validator changes first");
        }
        var verdict = roster.Verify(certificate);
        if (verdict != CommitCertificateVerdict.Valid)
        {
            throw Untrusted(UntrustedReason.CertificateInvalid,
                $"the commit certificate of height {certificate.Height} is not valid for the validators of that height: {verdict}");
        }
        var blockHash = BlockHashing.HeaderHash(header);
        if (certificate.Height != header.Height || !certificate.BlockHash.Span.SequenceEqual(blockHash.Span))
        {
            throw Untrusted(UntrustedReason.CertificateNotForHeader,
                $"the certificate is for block {Convert.ToHexStringLower(certificate.BlockHash.Span)} at height {certificate.Height}, " +
                $"the header hashes to {blockHash} at height {header.Height}: the header was altered or belongs to another block");
        }
        if (header.StateRoot.Length != Hash32.Size)
        {
            throw Untrusted(UntrustedReason.ProofInvalid, $"the header's state root has {header.StateRoot.Length} bytes, not {Hash32.Size}");
        }
        // The height is certified by a quorum from here on, so it may raise the mark even if what follows fails.
        var highest = Observe(header.Height);
        if (requireFresh && header.Height + _staleBlocksTolerated < highest)
        {
            throw Untrusted(UntrustedReason.StaleState,
                $"the answer is proven at height {header.Height}, but height {highest} was already seen certified: the node serves an old state");
        }
        return new ProvenHeader(header.Height, blockHash, new Hash32(header.StateRoot.Span), header.TimeMs);
    }

    /// <summary>
    /// Checks that <paramref name="receipt"/> is the receipt the ledger committed for <paramref name="txId"/>: its header is
    /// certified by the trusted validators, and the receipt sits at its position under the header's receipts_root.
    /// </summary>
    /// <exception cref="UntrustedAnswerException">A check failed; the reason names it.</exception>
    public void VerifyReceipt(Hash32 txId, CommittedReceipt receipt)
    {
        if (receipt.Proof is not { } proof || receipt.Receipt is not { } committed)
        {
            throw Untrusted(UntrustedReason.ProofMissing, "the receipt carries no proof");
        }
        var header = VerifyHeader(proof.Header, proof.Certificate, requireFresh: false);
        if (header.Height != receipt.Height || !receipt.BlockHash.Span.SequenceEqual(header.BlockHash.Span))
        {
            throw Untrusted(UntrustedReason.WrongObject,
                $"the receipt names block {Convert.ToHexStringLower(receipt.BlockHash.Span)} at height {receipt.Height}, its proof block {header.BlockHash} at height {header.Height}");
        }
        if (!committed.TxId.Span.SequenceEqual(txId.Span))
        {
            throw Untrusted(UntrustedReason.WrongObject, $"the receipt is for transaction {Convert.ToHexStringLower(committed.TxId.Span)}, not {txId}");
        }
        var path = proof.Path.Select(p => p.Length == Hash32.Size ? new Hash32(p.Span) : (Hash32?)null).ToArray();
        if (proof.Header.ReceiptsRoot.Length != Hash32.Size || path.Any(p => p is null) || receipt.Position >= proof.Header.TxCount
            || !MerkleList.Verify(new Hash32(proof.Header.ReceiptsRoot.Span), BlockHashing.ReceiptBytes(committed), (int)receipt.Position,
                (int)proof.Header.TxCount, path.Select(p => p!.Value).ToArray()))
        {
            throw Untrusted(UntrustedReason.ProofInvalid,
                $"the receipt at position {receipt.Position} of height {receipt.Height} is not under the block's receipts_root: it says {committed.Code}, which the ledger did not commit");
        }
    }

    private ulong Observe(ulong height)
    {
        var seen = Interlocked.Read(ref _highestSeen);
        while ((ulong)seen < height)
        {
            var previous = Interlocked.CompareExchange(ref _highestSeen, (long)height, seen);
            if (previous == seen)
            {
                return height;
            }
            seen = previous;
        }
        return (ulong)seen;
    }

    private static UntrustedAnswerException Untrusted(UntrustedReason reason, string detail) => new(reason, detail);
}
