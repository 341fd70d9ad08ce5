using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Client.Tests.Support;

/// <summary>
/// A real ledger in memory: genesis from the corridor's document, real signed transactions decoded and
/// executed by the contracts, real headers, and commit certificates signed by the real validator keys over
/// the precommit sign bytes. Each submitted transaction gets a block of its own. Thread-safe.
/// </summary>
public sealed class TestChain
{
    public const long BlockIntervalMs = 3_600_000;
    private readonly Lock _lock = new();
    private readonly InMemoryLedger _ledger;
    private readonly List<CommittedBlock> _blocks = [];
    private readonly Dictionary<Hash32, (ulong Height, uint Position)> _committed = [];

    public TestChain(Corridor corridor)
    {
        Corridor = corridor;
        var (config, organisations) = GenesisLoader.Load(corridor.Genesis);
        Config = config;
        _ledger = new InMemoryLedger(GenesisState.Entries(config, organisations));
        NextTimeMs = Corridor.GenesisTimeMs + (30 * Corridor.DayMs);
    }

    public Corridor Corridor { get; }

    public NetworkConfig Config { get; }

    public string ChainId => Config.ChainId;

    /// <summary>The time the next block carries.</summary>
    public long NextTimeMs { get; set; }

    public ITreePageReader TreeNodes => _ledger.TreeNodes;

    public ulong Height
    {
        get
        {
            lock (_lock)
            {
                return (ulong)_blocks.Count;
            }
        }
    }

    public CommittedBlock Block(ulong height)
    {
        lock (_lock)
        {
            return _blocks[(int)height - 1];
        }
    }

    /// <summary>
    /// Decodes the envelope and commits it in a block of its own; an envelope committed before is not committed
    /// again and gets its first receipt, as a node answers a resubmission.
    /// </summary>
    /// <returns>The receipt, or the stateless rule that refused it before any block.</returns>
    public (CommittedReceipt? Receipt, Refusal? Refusal) Submit(TxEnvelope envelope)
    {
        lock (_lock)
        {
            var decoded = TransactionDecoder.Decode(envelope, ChainId, Config.Limits);
            if (decoded.Transaction is not { } tx)
            {
                return (null, decoded.Refusal);
            }
            if (_committed.TryGetValue(tx.Id, out var known))
            {
                return (ReceiptOf(known.Height, known.Position), null);
            }
            var height = (ulong)_blocks.Count + 1;
            // The sets of this height and the next, as the state before the block schedules them.
            var rosters = new ValidatorSets(ChainId, LedgerState.ReadValidatorSchedule(_ledger.Values, Config));
            var outcome = _ledger.Apply(new BlockContext(ChainId, height, NextTimeMs), [tx]);
            var previous = _blocks.Count == 0 ? null : _blocks[^1];
            var header = new BlockHeader
            {
                ChainId = ChainId,
                Height = height,
                TimeMs = NextTimeMs,
                PreviousBlockHash = ByteString.CopyFrom(previous is null ? Hash32.Zero.Span : previous.Hash.Span),
                LastCommitHash = previous is null ? ByteString.Empty : ByteString.CopyFrom(BlockHashing.CommitHash(ChainId, previous.Certificate).Span),
                TxRoot = ByteString.CopyFrom(BlockHashing.TxRoot([tx.Id], [envelope]).Span),
                StateRoot = ByteString.CopyFrom(outcome.StateRoot.Span),
                ReceiptsRoot = ByteString.CopyFrom(BlockHashing.ReceiptsRoot(outcome.Receipts).Span),
                Proposer = Corridor.ValidatorOrgs[(int)(height % (ulong)Corridor.ValidatorOrgs.Length)],
                TxCount = 1,
                EvidenceRoot = ByteString.CopyFrom(Ledger.Contracts.Consensus.EquivocationProofs.Root([]).Span),
                ValidatorsHash = ByteString.CopyFrom(rosters.At(height).Hash.Span),
                NextValidatorsHash = ByteString.CopyFrom(rosters.At(height + 1).Hash.Span),
            };
            var block = new CommittedBlock(header, Certify(header, Corridor.ValidatorKeys.Select((k, i) => (i, k)).ToArray()), [envelope], outcome.Receipts, outcome.StateRoot);
            _blocks.Add(block);
            _committed[tx.Id] = (height, 0);
            NextTimeMs += BlockIntervalMs;
            return (ReceiptOf(height, 0), null);
        }
    }

    /// <summary>Commits a body signed by <paramref name="signer"/> and insists that its contract accepted it.</summary>
    public CommittedReceipt SubmitOk(MemberSigner signer, Action<TxBody> kind)
    {
        var (receipt, refusal) = Submit(signer.Sign(kind).Envelope);
        refusal.Should().BeNull();
        receipt!.Receipt.Code.Should().Be(RuleCatalog.Ok, receipt.Receipt.Message);
        return receipt;
    }

    public bool IsCommitted(Hash32 txId)
    {
        lock (_lock)
        {
            return _committed.ContainsKey(txId);
        }
    }

    /// <summary>The state tree as it was after the block at <paramref name="height"/>.</summary>
    public SparseMerkleTree TreeAt(ulong height) => new(_ledger.TreeNodes, Block(height).StateRoot);

    /// <summary>A commit certificate for the header, signed by the given (index, key) pairs in round 0.</summary>
    public CommitCertificate Certify(BlockHeader header, IReadOnlyList<(int Index, KeyPair Key)> signers)
    {
        var hash = BlockHashing.HeaderHash(header);
        var signBytes = ConsensusSignBytes.ForVote(ChainId, VoteType.Precommit, header.Height, 0, hash);
        var certificate = new CommitCertificate { Height = header.Height, Round = 0, BlockHash = ByteString.CopyFrom(hash.Span) };
        certificate.Signatures.AddRange(signers.OrderBy(s => s.Index).Select(s => new CommitSignature
        {
            ValidatorIndex = (uint)s.Index,
            Signature = ByteString.CopyFrom(SignatureSuites.Sign(s.Key.Private, signBytes)),
        }));
        return certificate;
    }

    private CommittedReceipt ReceiptOf(ulong height, uint position)
    {
        var block = _blocks[(int)height - 1];
        var proof = new ReceiptProof { Header = block.Header, Certificate = block.Certificate };
        proof.Path.AddRange(MerkleList.Proof(block.Receipts.Select(BlockHashing.ReceiptBytes).ToArray(), (int)position).Select(h => ByteString.CopyFrom(h.Span)));
        return new CommittedReceipt
        {
            Height = height,
            Position = position,
            Receipt = block.Receipts[(int)position],
            BlockHash = ByteString.CopyFrom(block.Hash.Span),
            Proof = proof,
        };
    }
}
