using System.Diagnostics;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Routes;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Client.Audit;

/// <summary>
/// Replays a ledger from genesis (or from a checkpoint) and checks everything: the hash chain, each
/// block's commit certificate against the validator set, every transaction's signature (in parallel on
/// all cores), and re-executes every transaction through the same contracts to compare every receipt,
/// receipts root and state root. Trusts nothing the node says; only the genesis.
/// </summary>
public sealed class LedgerAuditor
{
    /// <summary>Transactions decoded together, so that signature checks spread over all cores.</summary>
    public const int DefaultBatchTransactions = 4_096;
    private readonly int _batchTransactionsMax;
    private readonly NetworkConfig _config;
    private ValidatorSets _rosters;
    private byte[]? _scheduleBytes;
    private readonly InMemoryLedger _ledger;
    private readonly List<AuditFinding> _findings = [];
    private long _blocks;
    private long _transactions;
    private long _signatures;
    private long _certificates;

    public LedgerAuditor(NetworkConfig config, IReadOnlyList<KeyValuePair<string, byte[]?>> entries, AuditCheckpoint? from = null,
        int batchTransactionsMax = DefaultBatchTransactions)
    {
        _batchTransactionsMax = batchTransactionsMax;
        _config = config;
        _ledger = new InMemoryLedger(from?.Entries ?? entries);
        _rosters = ReadRosters();
        Height = from?.Height ?? 0;
        HeadHash = from?.BlockHash ?? Hash32.Zero;
        HeadTimeMs = from?.TimeMs ?? config.GenesisTimeMs;
        StartHeight = Height;
        if (from is not null && _ledger.StateRoot != from.StateRoot)
        {
            throw new InvalidDataException($"the checkpoint at height {from.Height} does not rebuild to its recorded state root");
        }
    }

    public ulong StartHeight { get; }

    public ulong Height { get; private set; }

    public Hash32 HeadHash { get; private set; }

    public long HeadTimeMs { get; private set; }

    public Hash32 StateRoot => _ledger.StateRoot;

    public IReadOnlyList<AuditFinding> Findings => _findings;

    /// <summary>
    /// Replays blocks in order until the stream ends; reports progress every batch. Signatures of the next
    /// batch are checked on all cores while this batch is re-executed, which needs one core.
    /// </summary>
    public async Task<AuditReport> RunAsync(IAsyncEnumerable<StoredBlock> blocks, ulong targetHeight, IProgress<AuditProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var batch = new List<StoredBlock>();
        var batchTransactions = 0;
        (List<StoredBlock> Blocks, Task<DecodeResult?[][]> Decoded)? pending = null;
        await foreach (var block in blocks.WithCancellation(ct).ConfigureAwait(false))
        {
            batch.Add(block);
            batchTransactions += block.Block?.Transactions.Count ?? 0;
            if (batchTransactions >= _batchTransactionsMax || batch.Count >= 256)
            {
                var full = batch;
                var decoding = (full, Task.Run(() => Decode(full), ct));
                if (pending is { } previous)
                {
                    Apply(previous.Blocks, await previous.Decoded.ConfigureAwait(false));
                    Report(progress, targetHeight, clock.Elapsed);
                }
                pending = decoding;
                batch = [];
                batchTransactions = 0;
            }
        }
        if (pending is { } last)
        {
            Apply(last.Blocks, await last.Decoded.ConfigureAwait(false));
        }
        CheckBatch(batch);
        Report(progress, targetHeight, clock.Elapsed);
        return Summarise(clock.Elapsed);
    }

    /// <summary>Checks and applies a run of consecutive blocks, decoding all their transactions in parallel first.</summary>
    public void CheckBatch(IReadOnlyList<StoredBlock> batch) => Apply(batch, Decode(batch));

    private DecodeResult?[][] Decode(IReadOnlyList<StoredBlock> batch)
    {
        var decoded = batch.Select(b => new DecodeResult?[b.Block?.Transactions.Count ?? 0]).ToArray();
        var work = batch.SelectMany((b, bi) => Enumerable.Range(0, decoded[bi].Length).Select(ti => (bi, ti))).ToArray();
        Parallel.ForEach(work, item =>
            decoded[item.bi][item.ti] = TransactionDecoder.Decode(batch[item.bi].Block.Transactions[item.ti], _config.ChainId, _config.Limits));
        return decoded;
    }

    private void Apply(IReadOnlyList<StoredBlock> batch, DecodeResult?[][] decoded)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Check(batch[i], decoded[i]!);
        }
    }

    private void Check(StoredBlock stored, DecodeResult?[] decoded)
    {
        var expected = Height + 1;
        var header = stored.Block?.Header;
        if (header is null)
        {
            Find(expected, "block", "the node sent a block without a header");
            return;
        }
        var id = BlockHashing.HeaderHash(header);
        CheckChain(expected, stored, header, id);
        CheckCertificate(expected, stored.Certificate, id);

        var ids = stored.Block!.Transactions.Select(t => SignedBytes.TransactionId(_config.ChainId, t.Body.Span)).ToArray();
        if (BlockHashing.TxRoot(ids, stored.Block.Transactions) != HashOf(header.TxRoot) || header.TxCount != ids.Length)
        {
            Find(expected, "transactions", "tx_root or tx_count does not match the block's transactions (changed, added, dropped or reordered)");
        }
        var valid = new List<DecodedTransaction>();
        for (var i = 0; i < decoded.Length; i++)
        {
            if (decoded[i]!.Refusal is { } refusal)
            {
                Find(expected, "signature", $"transaction {i} ({ids[i]}): {refusal}");
            }
            else
            {
                valid.Add(decoded[i]!.Transaction!);
            }
        }
        _signatures += valid.Count;
        var evidence = CheckEvidence(expected, stored.Block);
        var outcome = _ledger.Apply(new BlockContext(_config.ChainId, expected, header.TimeMs), valid, evidence);
        CheckOutcome(expected, stored, header, outcome);
        if (!(_ledger.Values.Get(StateKeys.Validators) ?? []).AsSpan().SequenceEqual(_scheduleBytes ?? []))
        {
            _rosters = ReadRosters();
        }

        _blocks++;
        _transactions += decoded.Length;
        Height = expected;
        HeadHash = id;
        HeadTimeMs = header.TimeMs;
    }

    /// <summary>Each equivocation proof by its rules, once, and its root; returns the proofs to apply (all of them: a bad one is a finding).</summary>
    private IReadOnlyList<EquivocationProof> CheckEvidence(ulong expected, Block block)
    {
        if (block.Evidence.Count > EquivocationProofs.PerBlockMax)
        {
            Find(expected, "evidence", $"{block.Evidence.Count} equivocation proofs, more than {EquivocationProofs.PerBlockMax}");
        }
        if (HashOf(block.Header.EvidenceRoot) != EquivocationProofs.Root(block.Evidence))
        {
            Find(expected, "evidence", "evidence_root does not match the block's equivocation proofs");
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < block.Evidence.Count; i++)
        {
            var proof = block.Evidence[i];
            var roster = _rosters.At(proof.First?.Height ?? expected);
            if (EquivocationProofs.Mismatch(_config.ChainId, roster.Set, roster, expected, proof) is { } rule)
            {
                Find(expected, "evidence", $"equivocation proof {i}: {rule}");
                continue;
            }
            var key = EquivocationProofs.StateKey(proof);
            if (!keys.Add(key) || _ledger.Values.Get(key) is not null)
            {
                Find(expected, "evidence", $"equivocation proof {i} ({key}) was committed before");
            }
        }
        return block.Evidence.Where(p => p.First is not null && p.Second is not null
            && _rosters.At(p.First.Height).Set.Contains((int)Math.Min(p.First.ValidatorIndex, int.MaxValue))).ToArray();
    }

    private void CheckChain(ulong expected, StoredBlock stored, BlockHeader header, Hash32 id)
    {
        if (header.Height != expected || header.ChainId != _config.ChainId)
        {
            Find(expected, "chain", $"expected height {expected} of chain {_config.ChainId}, got height {header.Height} of {header.ChainId}");
        }
        if (HashOf(header.PreviousBlockHash) != HeadHash)
        {
            Find(expected, "hash chain", $"previous_block_hash does not name block {Height} ({HeadHash})");
        }
        if (BlockTime.Mismatch(HeadTimeMs, header.TimeMs) is { } time)
        {
            Find(expected, "time", time);
        }
        // The sets of this height and the next, as the replayed state schedules them (a change is in force two heights on).
        if (HashOf(header.ValidatorsHash) != _rosters.At(expected).Hash || HashOf(header.NextValidatorsHash) != _rosters.At(expected + 1).Hash)
        {
            Find(expected, "validator set", "validators_hash or next_validators_hash is not the hash of the set the state schedules for that height");
        }
        var lastCommit = stored.Block.LastCommit;
        if (expected == 1)
        {
            if (lastCommit is not null || !header.LastCommitHash.IsEmpty)
            {
                Find(expected, "last commit", "the first block carries a last commit");
            }
            return;
        }
        if (lastCommit is null || HashOf(header.LastCommitHash) != BlockHashing.CommitHash(_config.ChainId, lastCommit))
        {
            Find(expected, "last commit", "last_commit is missing or does not match last_commit_hash");
        }
        else if (lastCommit.Height != Height || HashOf(lastCommit.BlockHash) != HeadHash || !CertificateIsValid(lastCommit))
        {
            Find(expected, "last commit", $"last_commit does not prove block {Height} with more than two thirds of the validators");
        }
    }

    private void CheckCertificate(ulong expected, CommitCertificate? certificate, Hash32 id)
    {
        if (certificate is null || certificate.Height != expected || HashOf(certificate.BlockHash) != id)
        {
            Find(expected, "commit certificate", "the block's certificate is missing or certifies another block");
            return;
        }
        var verdict = _rosters.At(expected).Verify(certificate);
        if (verdict != CommitCertificateVerdict.Valid)
        {
            Find(expected, "commit certificate", $"{verdict}: the block is not proven final by more than two thirds of the validators");
        }
        _certificates++;
    }

    private void CheckOutcome(ulong expected, StoredBlock stored, BlockHeader header, BlockOutcome outcome)
    {
        if (stored.Receipts.Count != outcome.Receipts.Count)
        {
            Find(expected, "receipts", $"the node holds {stored.Receipts.Count} receipts; re-execution gives {outcome.Receipts.Count}");
        }
        else
        {
            for (var i = 0; i < outcome.Receipts.Count; i++)
            {
                if (!stored.Receipts[i].Equals(outcome.Receipts[i]))
                {
                    Find(expected, "receipts", $"transaction {i}: the node says {stored.Receipts[i].Code}, re-execution says {outcome.Receipts[i].Code} {outcome.Receipts[i].Message}");
                }
            }
        }
        // The state root below commits to them ("auto/<height>"); this names the difference when a node serves others.
        if (!stored.Automatic.SequenceEqual(outcome.Automatic))
        {
            Find(expected, "automatic receipts", $"the node serves {stored.Automatic.Count} automatic receipts; re-execution gives {outcome.Automatic.Count}");
        }
        if (BlockHashing.ReceiptsRoot(outcome.Receipts) != HashOf(header.ReceiptsRoot))
        {
            Find(expected, "receipts root", "the header's receipts_root differs from re-execution");
        }
        if (outcome.StateRoot != HashOf(header.StateRoot))
        {
            Find(expected, "state root", $"the header's state_root differs from the root after re-execution, {outcome.StateRoot}");
        }
    }

    /// <summary>A snapshot to resume from later: the whole state at the current height.</summary>
    public AuditCheckpoint Checkpoint() => new(Height, HeadHash, HeadTimeMs, StateRoot,
        ((InMemoryState)_ledger.Values).Entries.Select(e => new KeyValuePair<string, byte[]?>(e.Key, e.Value)).ToArray());

    private bool CertificateIsValid(CommitCertificate certificate) => _rosters.At(certificate.Height).Verify(certificate) == CommitCertificateVerdict.Valid;

    /// <summary>The rosters the replayed state schedules; read again only when governance changed them.</summary>
    private ValidatorSets ReadRosters()
    {
        _scheduleBytes = _ledger.Values.Get(StateKeys.Validators);
        return new ValidatorSets(_config.ChainId, LedgerState.ReadValidatorSchedule(_ledger.Values, _config));
    }

    private void Find(ulong height, string check, string detail) => _findings.Add(new AuditFinding(height, check, detail));

    private static Hash32 HashOf(Google.Protobuf.ByteString bytes) => bytes.Length == Hash32.Size ? new Hash32(bytes.Span) : Hash32.Zero;

    private void Report(IProgress<AuditProgress>? progress, ulong target, TimeSpan elapsed)
    {
        if (progress is null)
        {
            return;
        }
        var rate = _transactions / Math.Max(elapsed.TotalSeconds, 0.001);
        var blocksRate = (Height - StartHeight) / Math.Max(elapsed.TotalSeconds, 0.001);
        TimeSpan? remaining = target > Height && blocksRate > 0 ? TimeSpan.FromSeconds((target - Height) / blocksRate) : null;
        progress.Report(new AuditProgress(Height, target, _transactions, rate, remaining));
    }

    private AuditReport Summarise(TimeSpan elapsed)
    {
        var byIssuer = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var byVerdict = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var evidence = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in ((InMemoryState)_ledger.Values).Entries)
        {
            if (key.StartsWith("cert/", StringComparison.Ordinal))
            {
                var cert = CertificateRecord.Parser.ParseFrom(value);
                var statuses = byIssuer.TryGetValue(cert.Issuer, out var s) ? s : byIssuer[cert.Issuer] = new SortedDictionary<string, int>(StringComparer.Ordinal);
                var status = Contracts.Certificates.CertificateStatusNames.Format(cert.Status);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
            else if (key.StartsWith(StateKeys.EvidencePrefix, StringComparison.Ordinal))
            {
                var validator = EvidenceRecord.Parser.ParseFrom(value).Validator;
                evidence[validator] = evidence.GetValueOrDefault(validator) + 1;
            }
            else if (key.StartsWith("consignment/", StringComparison.Ordinal))
            {
                var verdict = RouteVerdict.Of(ConsignmentRecord.Parser.ParseFrom(value)).Kind.ToString();
                byVerdict[verdict] = byVerdict.GetValueOrDefault(verdict) + 1;
            }
        }
        return new AuditReport(StartHeight + 1, Height, _blocks, _transactions, _signatures, _certificates, _findings.ToArray(),
            byIssuer.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value, StringComparer.Ordinal), byVerdict, elapsed)
        {
            EquivocationsByValidator = evidence,
        };
    }
}
