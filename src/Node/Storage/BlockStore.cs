using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Wire;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The chain on disk: blocks with their certificates and receipts, and the state they produced. A block
/// and its state are written in one durable transaction, so after a crash the node has the whole block
/// or none of it. Invariants are checked before a block is written and after it is read.
/// </summary>
public sealed class BlockStore
{
    /// <summary>LiteDB keeps a document under 16 MiB; a proposer must build blocks below this.</summary>
    public const int BlockBytesMax = 15 * 1024 * 1024;

    /// <summary>
    /// The layout of the database, kept with the chain identity. 2: the state tree in band pages, values only in
    /// the state collection. 3: a certificate's status and a consignment's route verdict in their record's state
    /// document. 4: state documents in buckets numbered by their id's hash, over 16 collections (<see cref="StateDocuments"/>).
    /// 5: tree pages too (<see cref="StoredTreePages"/>). 6: transaction marks left out of the state root and its tree
    /// (<see cref="StateKeys.IsInStateRoot"/>), so a chain's roots differ from those format 5 computed; and blocks'
    /// bodies kept by hash (<see cref="StorageCollections.BlockBodies"/>), so a held block commits without being
    /// written again. 7: blocks whose tx_root covers signatures (PROTOCOL.md, "Changes"), so a chain's block hashes
    /// differ from those of format 6. 8: certificate status entries carry the replacement chain (replaced_by, replaces),
    /// so the roots of a chain with a replacement differ from those of format 7. 9: headers name their validator sets
    /// (PROTOCOL.md, "Validator sets"), so every block hash differs from format 8's. A database of another format is refused, never converted.
    /// </summary>
    public const int StorageFormat = 9;

    /// <summary>
    /// Blocks between writes of the tree's upper pages: the root's page and the 256 pages below it, which every
    /// block of a few hundred transactions rewrites whole (about 1 MB). In between they are held in memory, and
    /// each block logs the state keys it changed, so that a restart rebuilds them from the last written root.
    /// </summary>
    public const int TreeWriteInterval = 16;

    private const string ChainDocument = "chain";
    private const string HeadDocument = "head";
    private const string TreeDocument = "tree";
    private const string BodyField = "b";
    private const string HeightField = "h";
    private const string DigestField = "d";

    private readonly NodeDatabase _database;
    private readonly ChainIdentity _chain;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _blocks;
    private readonly ILiteCollection<BsonDocument> _bodies;
    private readonly ILiteCollection<BsonDocument> _heldBlocks;
    private readonly ILiteCollection<BsonDocument> _commits;
    private readonly ILiteCollection<BsonDocument> _receipts;
    private readonly ILiteCollection<BsonDocument> _treeLog;
    private readonly Lock _commitLock = new();
    private volatile ChainHead? _head;
    // The head block, its certificate and receipts, kept rather than read back and parsed again: every proven read
    // answers with its header, peers one height behind are offered it, and block streams serve it as it commits.
    private volatile CommittedHead? _committedHead;
    // The last height whose tree pages are all in the database.
    private ulong _treeWrittenHeight;

    /// <summary>Opens the chain in <paramref name="database"/>; refuses a database of another chain.</summary>
    public BlockStore(NodeDatabase database, ChainIdentity chain)
    {
        _database = database;
        _chain = chain;
        _meta = database.Collection(StorageCollections.Meta);
        _blocks = database.Collection(StorageCollections.Blocks);
        _bodies = database.Collection(StorageCollections.BlockBodies);
        _heldBlocks = database.Collection(StorageCollections.HeldBlocks);
        _commits = database.Collection(StorageCollections.Commits);
        _receipts = database.Collection(StorageCollections.Receipts);
        _treeLog = database.Collection(StorageCollections.TreeLog);
        State = new StoredState(database);
        TreePages = new StoredTreePages(database);
        _head = OpenChain();
    }

    /// <summary>The state after the last committed block.</summary>
    public IStateReader State { get; }

    /// <summary>Every state tree page ever committed: the current root's and older roots'. Leaves carry no values.</summary>
    public ITreePageReader TreePages { get; }

    public bool IsInitialised => _head is not null;

    /// <summary>The last committed block (height 0: the genesis).</summary>
    public ChainHead Head => _head ?? throw new InvalidOperationException("the store has no genesis yet: call InitialiseGenesis first");

    /// <summary>Writes the genesis state, once. <paramref name="tree"/> must be the genesis entries' tree, built in band pages.</summary>
    public void InitialiseGenesis(IReadOnlyList<KeyValuePair<string, byte[]?>> entries, TreeUpdate tree)
    {
        lock (_commitLock)
        {
            if (_head is not null)
            {
                throw new InvalidOperationException($"the genesis of chain {_chain.ChainId} is already stored");
            }
            var expected = LedgerStateMachine.Genesis(entries, new InMemoryTreeNodeStore());
            if (expected.Root != tree.Root)
            {
                throw new StorageException($"the genesis tree's root {tree.Root} is not the root of the genesis entries, {expected.Root}");
            }
            Require(tree.Root == SparseMerkleTree.EmptyRoot || tree.NewPages.Any(p => p.Root == tree.Root),
                $"the genesis tree has no page for its root {tree.Root}: build it over a store that keeps band pages");
            CheckPages(tree.NewPages);
            var head = new ChainHead(0, Hash32.Zero, tree.Root);
            var located = StateDocuments.Locate(entries);
            _database.Write(_ =>
            {
                _meta.Insert(new BsonDocument
                {
                    ["_id"] = ChainDocument,
                    ["chainId"] = _chain.ChainId,
                    ["genesisHash"] = _chain.GenesisHash.ToArray(),
                    ["format"] = StorageFormat,
                });
                WriteState(entries, located);
                WriteTreePages(tree.NewPages);
                _meta.Upsert(HeadToDocument(head));
                _meta.Upsert(TreeWrittenDocument(head));
            });
            ((StoredState)State).Remember(entries, located);
            _head = head;
        }
    }

    /// <summary>Writes a decided block with its state, durably, or throws and writes nothing.</summary>
    /// <exception cref="StorageException">The block does not extend the head or contradicts itself.</exception>
    public void CommitBlock(CommittedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_commitLock)
        {
            var head = Head;
            var blockBytes = block.Block.ToByteArray();
            Check(block, head, blockBytes.Length);
            var height = checked((long)block.Height);
            var next = new ChainHead(block.Height, block.BlockHash, block.StateRoot);
            var receipts = new BsonArray(block.Receipts.Select(r => new BsonValue(r.ToByteArray())));
            var state = (StoredState)State;
            // Hashed once for the write and for the cache and key filter after it.
            var located = StateDocuments.Locate(block.Changes);
            var pages = (StoredTreePages)TreePages;
            var treeWriteDue = block.Height - _treeWrittenHeight >= TreeWriteInterval;
            var (upperPages, lowerPages) = SplitUpperPages(block);
            var rootKeys = block.Changes.Where(c => StateKeys.IsInStateRoot(c.Key)).Select(c => new BsonValue(c.Key)).ToArray();
            var bodyDigest = new BsonValue(Hash32.Sha256(blockBytes).ToArray());
            var pagesToWrite = treeWriteDue ? [.. lowerPages, .. upperPages, .. pages.UnwrittenExcept(block.ReplacedTreeNodes)] : lowerPages;
            state.BeginCommit();
            void WriteBlock(bool insertWhatIsNew) => _database.Write(_ =>
            {
                var id = new BsonValue(block.BlockHash.ToArray());
                if (!DropHeldBlocks(height, keep: id, keepDigest: bodyDigest))
                {
                    _bodies.Insert(new BsonDocument { ["_id"] = id, [BodyField] = blockBytes });
                }
                _blocks.Insert(new BsonDocument { ["_id"] = height, ["hash"] = id });
                _commits.Insert(new BsonDocument
                {
                    ["_id"] = height,
                    ["hash"] = block.BlockHash.ToArray(),
                    ["commit"] = block.Commit.ToByteArray(),
                });
                _receipts.Insert(new BsonDocument
                {
                    ["_id"] = height,
                    ["root"] = block.Block.Header.ReceiptsRoot.ToByteArray(),
                    ["receipts"] = receipts,
                });
                WriteState(block.Changes, located, insertWhatIsNew ? state : null);
                WriteTreePages(pagesToWrite, insertWhatIsNew);
                if (treeWriteDue)
                {
                    _treeLog.DeleteAll();
                    _meta.Upsert(TreeWrittenDocument(next));
                }
                else if (rootKeys.Length > 0)
                {
                    _treeLog.Insert(new BsonDocument { ["_id"] = height, ["keys"] = new BsonArray(rootKeys) });
                }
                _meta.Upsert(HeadToDocument(next));
            });
            try
            {
                try
                {
                    // A block's new pages, and its new keys, are almost always new to the store: inserting them costs
                    // half of an upsert.
                    WriteBlock(insertWhatIsNew: true);
                }
                catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
                {
                    // A subtree came back as it was at an earlier height (a key set back to an old value): the
                    // transaction was rolled back whole; write again, letting existing pages and keys stand.
                    WriteBlock(insertWhatIsNew: false);
                }
                state.Remember(block.Changes, located);
            }
            finally
            {
                state.EndCommit();
            }
            pages.Remember(block.NewTreePages, block.ReplacedTreeNodes);
            if (treeWriteDue)
            {
                pages.MarkAllWritten();
                _treeWrittenHeight = block.Height;
            }
            else
            {
                pages.Hold(upperPages, block.ReplacedTreeNodes);
            }
            // Not cloned (a copy of 2,000 transactions costs more than the reads it saves): nothing changes a block once built.
            _committedHead = new CommittedHead(block.Height, block.Block, block.Commit.Clone(), block.Receipts);
            _head = next;
        }
    }

    /// <summary>The header of the block at <paramref name="height"/>, or null above the head (or at 0, the genesis). Callers must not change it.</summary>
    public BlockHeader? GetHeader(ulong height) => GetBlock(height)?.Header;

    /// <summary>
    /// Keeps a proposed block durably, for the consensus engine to name in a write-ahead record (its lock or valid
    /// value): after a restart of the whole network, those locked on it must still have it to propose it again.
    /// If it commits, this is the copy the chain keeps; otherwise it goes when its height commits. Blocks at or
    /// below the head are not held: their height is decided.
    /// </summary>
    public void HoldBlock(Hash32 blockId, ulong height, byte[] block)
    {
        lock (_commitLock)
        {
            if (height <= Head.Height)
            {
                return;
            }
            var id = new BsonValue(blockId.ToArray());
            _database.Write(_ =>
            {
                if (_heldBlocks.FindById(id) is null)
                {
                    _bodies.Insert(new BsonDocument { ["_id"] = id, [BodyField] = block });
                    _heldBlocks.Insert(new BsonDocument
                    {
                        ["_id"] = id,
                        [HeightField] = checked((long)height),
                        [DigestField] = Hash32.Sha256(block).ToArray(),
                    });
                }
            });
        }
    }

    /// <summary>A block kept by <see cref="HoldBlock"/> and not dropped since, or null.</summary>
    public byte[]? HeldBlock(Hash32 blockId)
    {
        var id = new BsonValue(blockId.ToArray());
        return _database.Read(() => _heldBlocks.FindById(id) is null ? null : _bodies.FindById(id)?[BodyField].AsBinary);
    }

    /// <summary>
    /// Drops the blocks held for heights up to <paramref name="height"/>, which is being committed, with their
    /// bodies, except the body of <paramref name="keep"/> if its bytes are the committed block's: returns whether
    /// that one was kept. A block's id (its header's hash) does not cover its transactions' signatures, so a body
    /// held under the committed id is only the committed block if its digest says so.
    /// </summary>
    private bool DropHeldBlocks(long height, BsonValue keep, BsonValue keepDigest)
    {
        var kept = false;
        foreach (var held in _heldBlocks.Find(BsonExpression.Create($"$.{HeightField} <= @0", new BsonValue(height))).ToList())
        {
            var id = held["_id"];
            if (id == keep && held[DigestField] == keepDigest)
            {
                kept = true;
            }
            else
            {
                _bodies.Delete(id);
            }
            _heldBlocks.Delete(id);
        }
        return kept;
    }

    /// <summary>Folds the database's log into its data file when it holds more than <paramref name="logBytesMax"/> (an idle node).</summary>
    public void CompactLog(long logBytesMax) => _database.CheckpointIfLogOver(logBytesMax);

    /// <summary>The block at <paramref name="height"/>, or null above the head (or at 0, the genesis). Callers must not change it.</summary>
    public Block? GetBlock(ulong height)
    {
        if (_committedHead is { } head && head.Height == height)
        {
            return head.Block;
        }
        var document = _database.Read(() => _blocks.FindById(checked((long)height)) is { } stored ? _bodies.FindById(stored["hash"]) : null);
        if (document is null)
        {
            return null;
        }
        var block = _database.Decode($"the block at height {height}", () => Block.Parser.ParseFrom(document[BodyField].AsBinary));
        var hash = BlockHashing.HeaderHash(block.Header);
        if (block.Header.Height != height || block.Header.ChainId != _chain.ChainId || hash != new Hash32(document["_id"].AsBinary))
        {
            throw _database.MarkDamaged($"the block stored at height {height} is damaged: header height {block.Header.Height}, hash {hash}");
        }
        // The header's hash covers the transactions only through tx_root: checked here, or a flipped byte in a stored
        // transaction would be served to clients and syncing peers (a SHA-256 of each body, ~1 ms a block of 2,000).
        var ids = block.Transactions.Select(t => TransactionSigner.IdOf(_chain.ChainId, t)).ToArray();
        if (BlockHashing.TxRoot(ids, block.Transactions) != new Hash32(block.Header.TxRoot.Span))
        {
            throw _database.MarkDamaged($"the block stored at height {height} is damaged: its transactions do not match its tx_root");
        }
        return block;
    }

    /// <summary>The certificate that decided the block at <paramref name="height"/>, or null if there is none.</summary>
    public CommitCertificate? GetCommit(ulong height)
    {
        if (_committedHead is { } head && head.Height == height)
        {
            return head.Certificate;
        }
        var document = _database.Read(() => _commits.FindById(checked((long)height)));
        if (document is null)
        {
            return null;
        }
        var commit = _database.Decode($"the certificate at height {height}", () => CommitCertificate.Parser.ParseFrom(document["commit"].AsBinary));
        if (commit.Height != height || !commit.BlockHash.Span.SequenceEqual(document["hash"].AsBinary))
        {
            throw _database.MarkDamaged($"the certificate stored at height {height} is damaged: it names height {commit.Height}");
        }
        return commit;
    }

    /// <summary>The receipts of the block at <paramref name="height"/> in block order, or null if there is no block. Callers must not change them.</summary>
    public IReadOnlyList<Receipt>? GetReceipts(ulong height)
    {
        if (_committedHead is { } head && head.Height == height)
        {
            return head.Receipts;
        }
        var document = _database.Read(() => _receipts.FindById(checked((long)height)));
        if (document is null)
        {
            return null;
        }
        var receipts = _database.Decode($"the receipts at height {height}", () => document["receipts"].AsArray.Select(r => Receipt.Parser.ParseFrom(r.AsBinary)).ToArray());
        if (BlockHashing.ReceiptsRoot(receipts) != new Hash32(document["root"].AsBinary))
        {
            throw _database.MarkDamaged($"the receipts stored at height {height} do not match the block's receipts root");
        }
        return receipts;
    }

    /// <summary>Where a committed transaction is, or null if it was never committed.</summary>
    /// <remarks>
    /// The state marks every committed transaction under <c>tx/&lt;id&gt;</c> (PROTOCOL.md, "State keys"),
    /// accepted or refused, so that is the index: a second one would double 1,000 random-key writes a block.
    /// </remarks>
    public TxLocation? FindTransaction(Hash32 txId)
    {
        var bytes = State.Get(StateKeys.Transaction(txId));
        if (bytes is null)
        {
            return null;
        }
        var location = _database.Decode($"the location of transaction {txId}", () => TxLocation.Parser.ParseFrom(bytes));
        // The block being committed is durable before the head moves to it: its marks may be seen a moment early.
        if (location.Height == 0 || location.Height > Head.Height + 1)
        {
            throw new StorageException($"transaction {txId} is marked at height {location.Height}, beyond the head {Head.Height}");
        }
        return location;
    }

    private ChainHead? OpenChain()
    {
        var chain = _database.Read(() => _meta.FindById(ChainDocument));
        var headDocument = _database.Read(() => _meta.FindById(HeadDocument));
        if (chain is null)
        {
            return headDocument is null
                ? null
                : throw new StorageException($"the database {_database.Path} has a head but no chain identity: it is damaged");
        }
        var format = chain["format"].IsInt32 ? chain["format"].AsInt32 : 1;
        if (format != StorageFormat)
        {
            throw new StorageException(
                $"the database {_database.Path} is in storage format {format}; this node reads and writes format {StorageFormat} " +
                "and does not convert. Start from an empty data folder: the node syncs the chain from its peers.");
        }
        var storedId = chain["chainId"].AsString;
        var storedGenesis = new Hash32(chain["genesisHash"].AsBinary);
        if (storedId != _chain.ChainId || storedGenesis != _chain.GenesisHash)
        {
            throw new StorageException(
                $"the database {_database.Path} belongs to chain '{storedId}' with genesis {storedGenesis}; this node is configured " +
                $"for chain '{_chain.ChainId}' with genesis {_chain.GenesisHash}. Use another data folder, or fix the configuration.");
        }
        if (headDocument is null)
        {
            throw new StorageException($"the database {_database.Path} has a chain identity but no head: it is damaged");
        }
        var head = new ChainHead(
            checked((ulong)headDocument["height"].AsInt64), new Hash32(headDocument["hash"].AsBinary), new Hash32(headDocument["root"].AsBinary));
        _treeWrittenHeight = WriteTreeUpToHead(head);
        CheckHead(head);
        return head;
    }

    /// <summary>
    /// Brings the tree's pages in the database up to the head after a restart: applies to the last root written
    /// whole the latest values of the keys changed since (each block logged them), checks that this gives the
    /// head's root, and writes the pages. Returns the head's height.
    /// </summary>
    private ulong WriteTreeUpToHead(ChainHead head)
    {
        var written = _database.Read(() => _meta.FindById(TreeDocument));
        if (written is null)
        {
            // A database from before upper pages were held: every block was written with all its pages.
            return head.Height;
        }
        var writtenHeight = checked((ulong)written["height"].AsInt64);
        var writtenRoot = new Hash32(written["root"].AsBinary);
        if (writtenHeight >= head.Height)
        {
            Require(writtenHeight == head.Height && writtenRoot == head.StateRoot,
                $"the state tree was last written whole at height {writtenHeight}, root {writtenRoot}, which is not below the head {head.Height}, root {head.StateRoot}");
            return head.Height;
        }
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var log in _database.Read(() => _treeLog.FindAll().ToList()))
        {
            var height = checked((ulong)log["_id"].AsInt64);
            Require(height > writtenHeight && height <= head.Height,
                $"the state keys of height {height} are logged, outside the heights {writtenHeight + 1} to {head.Height} whose tree is not written");
            keys.UnionWith(log["keys"].AsArray.Select(k => k.AsString));
        }
        var changes = LedgerStateMachine.TreeChanges(keys.Select(k => new KeyValuePair<string, byte[]?>(k, State.Get(k))));
        var tree = new SparseMerkleTree(TreePages, writtenRoot).Apply(changes);
        Require(tree.Root == head.StateRoot,
            $"the state tree written at height {writtenHeight}, with the {keys.Count} keys logged since, has root {tree.Root}, not the head's {head.StateRoot}");
        _database.Write(_ =>
        {
            WriteTreePages(tree.NewPages);
            _treeLog.DeleteAll();
            _meta.Upsert(TreeWrittenDocument(head));
        });
        return head.Height;
    }

    /// <summary>The head must name a stored block with that hash and root, and the root's page must be stored.</summary>
    private void CheckHead(ChainHead head)
    {
        if (head.Height > 0)
        {
            var block = GetBlock(head.Height) ?? throw new StorageException($"the head names height {head.Height}, which is not stored");
            if (BlockHashing.HeaderHash(block.Header) != head.BlockHash || new Hash32(block.Header.StateRoot.Span) != head.StateRoot)
            {
                throw new StorageException($"the head at height {head.Height} does not match the block stored there");
            }
            if (_database.Read(() => _blocks.FindById(checked((long)head.Height + 1))) is not null)
            {
                throw new StorageException($"a block is stored above the head {head.Height}: the database is damaged");
            }
        }
        if (head.StateRoot != SparseMerkleTree.EmptyRoot && !((StoredTreePages)TreePages).Contains(head.StateRoot))
        {
            throw new StorageException($"the state root {head.StateRoot} at height {head.Height} has no stored page");
        }
    }

    private void Check(CommittedBlock block, ChainHead head, int blockBytes)
    {
        var header = block.Block.Header ?? throw new StorageException("a block without a header cannot be stored");
        var height = header.Height;
        Require(header.ChainId == _chain.ChainId, $"block {height} is for chain '{header.ChainId}', not '{_chain.ChainId}'");
        Require(height == head.Height + 1, $"block {height} does not extend the head at height {head.Height}");
        Require(new Hash32(header.PreviousBlockHash.Span) == head.BlockHash,
            $"block {height} follows {Convert.ToHexStringLower(header.PreviousBlockHash.Span)}, not the head {head.BlockHash}");
        Require(BlockHashing.HeaderHash(header) == block.BlockHash, $"block {height} is offered under a hash that is not its header's");
        Require(blockBytes <= BlockBytesMax, $"block {height} has {blockBytes} bytes; at most {BlockBytesMax} can be stored");
        Require(block.Commit.Height == height && new Hash32(block.Commit.BlockHash.Span) == block.BlockHash,
            $"the certificate offered with block {height} decides height {block.Commit.Height}, block {Convert.ToHexStringLower(block.Commit.BlockHash.Span)}");
        if (height == 1)
        {
            Require(block.Block.LastCommit is null && header.LastCommitHash.IsEmpty, "block 1 carries a last commit");
        }
        else
        {
            var last = block.Block.LastCommit;
            Require(last is not null && last.Height == head.Height && new Hash32(last.BlockHash.Span) == head.BlockHash
                && BlockHashing.CommitHash(_chain.ChainId, last) == new Hash32(header.LastCommitHash.Span),
                $"block {height}'s last commit does not decide the head {head.Height} or does not match its last_commit_hash");
        }
        var count = block.Block.Transactions.Count;
        Require(header.TxCount == count && block.TxIds.Count == count && block.Receipts.Count == count,
            $"block {height} has {count} transactions, tx_count {header.TxCount}, {block.TxIds.Count} ids and {block.Receipts.Count} receipts");
        for (var i = 0; i < count; i++)
        {
            // Not Require: its message would be formatted for each of thousands of transactions that match.
            if (TransactionSigner.IdOf(_chain.ChainId, block.Block.Transactions[i]) != block.TxIds[i]
                || new Hash32(block.Receipts[i].TxId.Span) != block.TxIds[i])
            {
                throw new StorageException($"transaction {i} of block {height} does not match its id or receipt");
            }
        }
        Require(BlockHashing.TxRoot(block.TxIds, block.Block.Transactions) == new Hash32(header.TxRoot.Span), $"block {height}'s transactions do not match its tx_root");
        Require(header.EvidenceRoot.Length == Hash32.Size && Contracts.Consensus.EquivocationProofs.Root(block.Block.Evidence) == new Hash32(header.EvidenceRoot.Span),
            $"block {height}'s evidence does not match its evidence_root");
        Require(BlockHashing.ReceiptsRoot(block.Receipts) == new Hash32(header.ReceiptsRoot.Span), $"block {height}'s receipts do not match its receipts_root");
        Require(new Hash32(header.StateRoot.Span) == block.StateRoot, $"block {height}'s header names another state root than its execution");
        CheckPages(block.NewTreePages);
        Require(block.StateRoot == head.StateRoot || block.StateRoot == SparseMerkleTree.EmptyRoot
            || block.NewTreePages.Any(p => p.Root == block.StateRoot) || ((StoredTreePages)TreePages).Contains(block.StateRoot),
            $"block {height}'s state root {block.StateRoot} is neither among its new pages nor stored");
    }

    /// <summary>
    /// Content addressing is the tree's only defence: a page stored under a wrong hash breaks every proof through it.
    /// The root node of each page is checked here; every node of a page is checked when it is read back.
    /// </summary>
    private static void CheckPages(IReadOnlyList<TreePage> pages)
    {
        foreach (var page in pages)
        {
            var root = page.TryGet(page.Root);
            if (root is null || root.Length != TreePage.NodeBytes || Hash32.Sha256(root) != page.Root)
            {
                throw new StorageException($"the state tree page offered under {page.Root} does not start with that node");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new StorageException(message);
        }
    }

    /// <summary>
    /// Writes the changed keys into their documents and the documents into their buckets (<see cref="StateDocuments"/>).
    /// A bucket not known to be new is read first, so that the documents and fields the block does not change stay.
    /// </summary>
    /// <param name="located">Where each change's key lives (<see cref="StateDocuments.Locate(IReadOnlyList{KeyValuePair{string, byte[]}})"/>).</param>
    /// <param name="absentKeys">When given, buckets of documents whose keys it knows to be absent are inserted without a read.</param>
    private void WriteState(
        IReadOnlyList<KeyValuePair<string, byte[]?>> changes, IReadOnlyList<(StateDocument Document, string Field)> located, StoredState? absentKeys = null)
    {
        var state = (StoredState)State;
        // In the order of the changes, so that the same block always writes the same way.
        var documents = new Dictionary<string, List<(string Field, byte[]? Value)>>(changes.Count, StringComparer.Ordinal);
        var buckets = new Dictionary<StateDocument, List<StateDocument>>(changes.Count, BucketComparer.Instance);
        var bucketOrder = new List<StateDocument>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var (document, field) = located[i];
            var value = changes[i].Value;
            if (!documents.TryGetValue(document.Id, out var fields))
            {
                documents[document.Id] = fields = [];
                if (!buckets.TryGetValue(document, out var filed))
                {
                    buckets[document] = filed = [];
                    bucketOrder.Add(document);
                }
                filed.Add(document);
            }
            fields.Add((field, value));
        }
        var inserts = new List<BsonDocument>[Buckets.Collections];
        var upserts = new List<BsonDocument>[Buckets.Collections];
        for (var shard = 0; shard < Buckets.Collections; shard++)
        {
            (inserts[shard], upserts[shard]) = ([], []);
        }
        foreach (var bucket in bucketOrder)
        {
            var filed = buckets[bucket];
            var isNew = absentKeys is not null && filed.All(absentKeys.IsKnownAbsent);
            var stored = isNew ? null : state.Bucket(bucket);
            var entries = Buckets.Entries(stored).ToList();
            foreach (var document in filed)
            {
                var at = entries.FindIndex(e => e[StateDocuments.IdField].AsString == document.Id);
                var entry = at >= 0 ? entries[at] : new BsonDocument { [StateDocuments.IdField] = document.Id };
                foreach (var (field, value) in documents[document.Id])
                {
                    if (value is null)
                    {
                        entry.Remove(field);
                    }
                    else
                    {
                        entry[field] = value;
                    }
                }
                var holdsValues = entry.Count > 1;
                if (at < 0 && holdsValues)
                {
                    entries.Add(entry);
                }
                else if (at >= 0 && !holdsValues)
                {
                    entries.RemoveAt(at);
                }
            }
            if (entries.Count == 0)
            {
                if (stored is not null)
                {
                    state.Shard(bucket.Shard).Delete(bucket.Bucket);
                }
                continue;
            }
            (isNew ? inserts : upserts)[bucket.Shard].Add(Buckets.Bucket(bucket.Bucket, entries));
        }
        for (var shard = 0; shard < Buckets.Collections; shard++)
        {
            state.Shard(shard).InsertBulk(inserts[shard]);
            state.Shard(shard).Upsert(upserts[shard]);
        }
    }

    /// <summary>Documents are in one bucket when they share its collection and number.</summary>
    private sealed class BucketComparer : IEqualityComparer<StateDocument>
    {
        public static BucketComparer Instance { get; } = new();

        public bool Equals(StateDocument x, StateDocument y) => x.Bucket == y.Bucket && x.Shard == y.Shard;

        public int GetHashCode(StateDocument document) => document.Bucket.GetHashCode();
    }

    private void WriteTreePages(IReadOnlyList<TreePage> pages, bool pagesAreNew = false) => ((StoredTreePages)TreePages).Write(pages, pagesAreNew);

    /// <summary>A block's new pages of the tree's upper two bands (its root's page and the pages that one points to), and the rest.</summary>
    private static (List<TreePage> Upper, List<TreePage> Lower) SplitUpperPages(CommittedBlock block)
    {
        var rootPage = block.NewTreePages.FirstOrDefault(p => p.Root == block.StateRoot);
        if (rootPage is null)
        {
            return ([], [.. block.NewTreePages]);
        }
        var upperRoots = rootPage.ChildPageRoots().ToHashSet();
        upperRoots.Add(rootPage.Root);
        var upper = new List<TreePage>();
        var lower = new List<TreePage>();
        foreach (var page in block.NewTreePages)
        {
            (upperRoots.Contains(page.Root) ? upper : lower).Add(page);
        }
        return (upper, lower);
    }

    private static BsonDocument TreeWrittenDocument(ChainHead head) => new()
    {
        ["_id"] = TreeDocument,
        ["height"] = checked((long)head.Height),
        ["root"] = head.StateRoot.ToArray(),
    };

    private static BsonDocument HeadToDocument(ChainHead head) => new()
    {
        ["_id"] = HeadDocument,
        ["height"] = checked((long)head.Height),
        ["hash"] = head.BlockHash.ToArray(),
        ["root"] = head.StateRoot.ToArray(),
    };

    private sealed record CommittedHead(ulong Height, Block Block, CommitCertificate Certificate, IReadOnlyList<Receipt> Receipts);
}
