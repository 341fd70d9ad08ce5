using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.StorageCrashWriter;

/// <summary>
/// A deterministic chain of certificate-like blocks for storage tests, the crash writer and the
/// benchmark: the same seed gives the same blocks, so a test can rebuild what a killed process wrote.
/// Its transactions are opaque bytes (storage never decodes them); its state changes and tree pages are
/// real: each transaction writes a value of <see cref="ValueBytes"/> under a <c>cert/</c> key and marks
/// its id under <c>tx/</c>, and each block also rewrites one older key and deletes another.
/// Linked as source into Node.Tests and the benchmarks, so it lives once.
/// </summary>
public sealed class SyntheticChain
{
    public const string ChainId = "storage-test";
    public const long GenesisTimeMs = 1_767_225_600_000;

    private readonly InMemoryTreePageStore _tree = new();
    private readonly InMemoryState _state = new();
    private readonly int _seed;
    private CommitCertificate? _lastCommit;

    public SyntheticChain(int seed, int transactionsPerBlock, int valueBytes)
    {
        _seed = seed;
        TransactionsPerBlock = transactionsPerBlock;
        ValueBytes = valueBytes;
        GenesisTree = LedgerStateMachine.Genesis(GenesisEntries, _tree);
        _tree.Put(GenesisTree.NewPages);
        _state.Apply(GenesisEntries);
        Head = new ChainHead(0, Hash32.Zero, GenesisTree.Root);
    }

    public static ChainIdentity Identity { get; } = new(ChainId, Hash32.Sha256("storage-test genesis"u8));

    public static IReadOnlyList<KeyValuePair<string, byte[]?>> GenesisEntries { get; } =
    [
        new("config", "synthetic network configuration"u8.ToArray()),
        new("organisations", "cn-ccpit kz-atameken"u8.ToArray()),
    ];

    public TreeUpdate GenesisTree { get; }

    public int TransactionsPerBlock { get; }

    public int ValueBytes { get; }

    /// <summary>The last block this chain made (height 0: the genesis).</summary>
    public ChainHead Head { get; private set; }

    /// <summary>The state after <see cref="Head"/>, to compare a store with.</summary>
    public IStateReader State => _state;

    /// <summary>Stores the genesis into an empty store.</summary>
    public void InitialiseGenesis(BlockStore store) => store.InitialiseGenesis(GenesisEntries, GenesisTree);

    /// <summary>Makes the next block and its commit certificate, as consensus would hand them to storage.</summary>
    /// <param name="also">State changes the block makes besides its certificates and transaction marks.</param>
    public CommittedBlock Next(IEnumerable<KeyValuePair<string, byte[]?>>? also = null)
    {
        var height = Head.Height + 1;
        // Not HashCode.Combine: it is seeded per process, and a test must rebuild what another process wrote.
        var random = new Random(unchecked((_seed * 1_000_003) + (int)height));
        var transactions = new TxEnvelope[TransactionsPerBlock];
        var ids = new Hash32[TransactionsPerBlock];
        var receipts = new Receipt[TransactionsPerBlock];
        var changes = new SortedDictionary<string, byte[]?>(StringComparer.Ordinal);
        for (var i = 0; i < TransactionsPerBlock; i++)
        {
            transactions[i] = new TxEnvelope { Body = ByteString.CopyFrom(Bytes(random, 160)), Signature = ByteString.CopyFrom(Bytes(random, 64)) };
            ids[i] = TransactionSigner.IdOf(ChainId, transactions[i]);
            receipts[i] = new Receipt { TxId = ByteString.CopyFrom(ids[i].Span), Code = "OK" };
            changes[CertificateKey(height, i)] = Bytes(random, ValueBytes);
            changes[StateKeys.Transaction(ids[i])] = new TxLocation { Height = height, Position = (uint)i }.ToByteArray();
        }
        if (height > 1 && TransactionsPerBlock > 1)
        {
            // Updates and deletes too, not only inserts: the store must replace and drop values.
            changes[CertificateKey(height - 1, 0)] = Bytes(random, ValueBytes);
            changes[CertificateKey(height - 1, 1)] = null;
        }
        foreach (var (key, value) in also ?? [])
        {
            changes[key] = value;
        }
        var changeList = changes.ToArray();
        var tree = new SparseMerkleTree(_tree, Head.StateRoot).Apply(LedgerStateMachine.TreeChanges(changeList));
        var header = new BlockHeader
        {
            ChainId = ChainId,
            Height = height,
            TimeMs = GenesisTimeMs + ((long)height * 1_000),
            PreviousBlockHash = ByteString.CopyFrom(Head.BlockHash.Span),
            LastCommitHash = _lastCommit is null ? ByteString.Empty : ByteString.CopyFrom(BlockHashing.CommitHash(ChainId, _lastCommit).Span),
            TxRoot = ByteString.CopyFrom(BlockHashing.TxRoot(ids, transactions).Span),
            StateRoot = ByteString.CopyFrom(tree.Root.Span),
            ReceiptsRoot = ByteString.CopyFrom(BlockHashing.ReceiptsRoot(receipts).Span),
            Proposer = "cn-ccpit",
            TxCount = (uint)TransactionsPerBlock,
            EvidenceRoot = ByteString.CopyFrom(Ledger.Contracts.Consensus.EquivocationProofs.Root([]).Span),
        };
        var block = new Block { Header = header, LastCommit = _lastCommit };
        block.Transactions.AddRange(transactions);
        var hash = BlockHashing.HeaderHash(header);
        var commit = new CommitCertificate { Height = height, Round = 0, BlockHash = ByteString.CopyFrom(hash.Span) };
        for (uint v = 0; v < 3; v++)
        {
            commit.Signatures.Add(new CommitSignature { ValidatorIndex = v, Signature = ByteString.CopyFrom(Bytes(random, 64)) });
        }

        _tree.Put(tree.NewPages);
        _state.Apply(changeList);
        _lastCommit = commit;
        Head = new ChainHead(height, hash, tree.Root);
        return new CommittedBlock(block, commit, hash, receipts, ids, changeList, tree.NewPages, tree.Root) { ReplacedTreeNodes = tree.StaleNodes };
    }

    public static string CertificateKey(ulong height, int index) => $"cert/cn-ccpit/{height:D8}-{index:D5}";

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
