using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;
using LiteDB;

namespace Ledger.Node.Tests.Storage;

public sealed class BlockStoreTests : IDisposable
{
    private const int Seed = 11;
    private const int TransactionsPerBlock = 40;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_fresh_store_has_no_genesis_and_after_it_a_head_at_height_0()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        store.IsInitialised.Should().BeFalse();

        chain.InitialiseGenesis(store);

        store.Head.Should().Be(new ChainHead(0, Hash32.Zero, chain.GenesisTree.Root));
        store.State.Get("config").Should().Equal(SyntheticChain.GenesisEntries[0].Value);
        store.GetBlock(0).Should().BeNull();
    }

    [Fact]
    public void Committed_blocks_read_back_with_certificates_receipts_transactions_state_and_tree()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var blocks = Enumerable.Range(0, 3).Select(_ => chain.Next()).ToArray();
        foreach (var block in blocks)
        {
            store.CommitBlock(block);
        }

        store.Head.Should().Be(chain.Head);
        foreach (var block in blocks)
        {
            store.GetBlock(block.Height)!.Should().Be(block.Block);
            store.GetHeader(block.Height).Should().Be(block.Block.Header, "the head's is kept, the others read");
            store.GetCommit(block.Height)!.Should().Be(block.Commit);
            store.GetReceipts(block.Height).Should().Equal(block.Receipts);
            store.FindTransaction(block.TxIds[3]).Should().Be(new Wire.TxLocation { Height = block.Height, Position = 3 });
        }
        store.GetBlock(4).Should().BeNull();
        store.GetHeader(4).Should().BeNull();
        store.FindTransaction(Hash32.Sha256("never sent"u8)).Should().BeNull();
        StoreChecks.HoldsChain(store, Seed, TransactionsPerBlock);
    }

    [Fact]
    public void The_head_block_and_its_receipts_are_served_as_committed_and_read_back_alike_after_a_reopen()
    {
        var chain = NewChain();
        CommittedBlock head;
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            var first = chain.Next();
            store.CommitBlock(first);
            head = chain.Next();
            store.CommitBlock(head);

            store.GetBlock(head.Height).Should().BeSameAs(head.Block, "the head block is kept, not parsed again for each reader");
            store.GetReceipts(head.Height).Should().BeSameAs(head.Receipts);
            store.GetHeader(head.Height).Should().BeSameAs(head.Block.Header);
            store.GetCommit(head.Height).Should().Be(head.Commit);
            store.GetBlock(first.Height).Should().NotBeSameAs(first.Block, "below the head, blocks are read").And.Be(first.Block);
        }
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            store.GetBlock(head.Height)!.ToByteArray().Should().Equal(head.Block.ToByteArray());
            store.GetReceipts(head.Height).Should().Equal(head.Receipts);
        }
    }

    [Fact]
    public void A_held_block_survives_a_restart_and_commits_without_a_second_copy_and_its_rivals_go_when_its_height_commits()
    {
        var chain = NewChain();
        var rival = Hash32.Sha256("rival block"u8);
        var later = Hash32.Sha256("later block"u8);
        var decided = Hash32.Sha256("decided height"u8);
        CommittedBlock next;
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            next = chain.Next();
            store.HoldBlock(next.BlockHash, next.Height, next.Block.ToByteArray());
            store.HoldBlock(rival, next.Height, [1, 2, 3]);
            store.HoldBlock(later, next.Height + 1, [4]);
            store.HoldBlock(decided, 0, [5]);
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var bodies = reopened.Collection(StorageCollections.BlockBodies);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        again.HeldBlock(next.BlockHash).Should().Equal(next.Block.ToByteArray());
        again.HeldBlock(rival).Should().Equal(1, 2, 3);
        again.HeldBlock(decided).Should().BeNull("height 0 is decided: there is nothing to hold for it");

        again.CommitBlock(next);

        again.GetBlock(next.Height).Should().Be(next.Block);
        again.HeldBlock(next.BlockHash).Should().BeNull("it is committed, no longer held");
        again.HeldBlock(rival).Should().BeNull("its height is committed");
        again.HeldBlock(later).Should().Equal(4);
        reopened.Read(() => bodies.Count()).Should().Be(2, "the committed block was kept as held, not written again, and the rival's body went");

        var afterLater = chain.Next();
        again.CommitBlock(afterLater);

        again.HeldBlock(later).Should().BeNull();
        reopened.Read(() => bodies.Count()).Should().Be(2, "two committed bodies; the block held at height 2 lost to another");
        again.GetBlock(afterLater.Height).Should().Be(afterLater.Block);
    }

    [Fact]
    public void A_held_copy_that_differs_from_the_committed_block_under_the_same_id_is_replaced_by_the_committed_block()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var next = chain.Next();
        // The header hash covers transaction ids, which hash bodies only: a copy with a signature zeroed keeps the id.
        var tampered = next.Block.Clone();
        tampered.Transactions[0].Signature = ByteString.CopyFrom(new byte[64]);
        BlockHashing.HeaderHash(tampered.Header).Should().Be(next.BlockHash);
        store.HoldBlock(next.BlockHash, next.Height, tampered.ToByteArray());

        store.CommitBlock(next);

        store.GetBlock(next.Height).Should().Be(next.Block);
        database.Read(() => database.Collection(StorageCollections.BlockBodies).Count()).Should().Be(1);
    }

    [Fact]
    public void A_block_whose_new_pages_include_one_already_stored_is_still_written_whole()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var first = chain.Next();
        store.CommitBlock(first);
        var second = chain.Next();
        // A subtree that comes back as it was: its page is already in the store.
        var repeated = second with { NewTreePages = [.. second.NewTreePages, first.NewTreePages[^1]] };

        store.CommitBlock(repeated);

        store.Head.Should().Be(chain.Head);
        store.TreePages.TryGetPage(first.NewTreePages[^1].Root)!.Encode().Should().Equal(first.NewTreePages[^1].Encode());
        StoreChecks.HoldsChain(store, Seed, TransactionsPerBlock);
    }

    [Fact]
    public void Blocks_survive_the_node_folding_its_log_into_the_data_file_many_times()
    {
        var chain = NewChain();
        using (var database = new NodeDatabase(_folder.Path, logBytesBeforeCheckpoint: 64 * 1024))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            for (var i = 0; i < 6; i++)
            {
                store.CommitBlock(chain.Next());
            }
            new FileInfo(Path.Combine(_folder.Path, "ledger-log.db")).Length.Should().BeLessThan(1024 * 1024, "the log was folded into the data file (six blocks leave 3 MB in it otherwise)");
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        again.Head.Should().Be(chain.Head);
        StoreChecks.HoldsChain(again, Seed, TransactionsPerBlock);
    }

    [Fact]
    public void Deleted_keys_are_gone_and_rewritten_keys_have_their_latest_value()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        store.CommitBlock(chain.Next());
        store.CommitBlock(chain.Next());

        // Block 2 rewrites the first certificate of block 1 and deletes its second.
        store.State.Get(SyntheticChain.CertificateKey(1, 1)).Should().BeNull();
        store.State.Get(SyntheticChain.CertificateKey(1, 0)).Should().Equal(chain.State.Get(SyntheticChain.CertificateKey(1, 0)));
    }

    [Fact]
    public void Roots_written_whole_stay_provable_and_roots_between_writes_only_while_they_are_the_head()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var first = chain.Next();
        store.CommitBlock(first);
        var key = LedgerStateMachine.TreeKey(SyntheticChain.CertificateKey(1, 2));
        new SparseMerkleTree(store.TreePages, first.StateRoot).Prove(key).Should().NotBeNull("the head's root is always provable");
        while (chain.Head.Height < BlockStore.TreeWriteInterval)
        {
            store.CommitBlock(chain.Next());
        }
        var written = chain.Head;
        var valueAtWritten = chain.State.Get(SyntheticChain.CertificateKey(1, 2));
        store.CommitBlock(chain.Next());
        store.CommitBlock(chain.Next());

        var proof = new SparseMerkleTree(store.TreePages, written.StateRoot).Prove(key);
        StateProof.Verify(written.StateRoot, key, valueAtWritten, proof).Should().BeTrue($"height {written.Height} was written whole");
        var betweenWrites = () => new SparseMerkleTree(store.TreePages, first.StateRoot).Prove(key);
        betweenWrites.Should().Throw<InvalidDataException>("the upper pages of height 1 were held in memory until height 2 replaced them")
            .WithMessage("*missing from the store*");
    }

    [Fact]
    public void A_restart_rebuilds_the_upper_tree_pages_held_in_memory_from_the_keys_logged_since_the_last_written_root()
    {
        var chain = NewChain();
        var blocks = BlockStore.TreeWriteInterval + 3;
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            for (var i = 0; i < blocks; i++)
            {
                store.CommitBlock(chain.Next());
            }
            // Closed without writing the held pages, as a crash would leave it.
            database.Read(() => database.Collection("meta").FindById("tree")["height"].AsInt64).Should().Be(BlockStore.TreeWriteInterval);
            database.Read(() => database.Collection("tree_log").Count()).Should().Be(3, "each block since logs the keys it changed");
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        reopened.Read(() => reopened.Collection("meta").FindById("tree")["height"].AsInt64).Should().Be(blocks, "the restart wrote the head's tree whole");
        reopened.Read(() => reopened.Collection("tree_log").Count()).Should().Be(0);
        var rebuilt = StoreChecks.HoldsChain(again, Seed, TransactionsPerBlock);
        again.CommitBlock(rebuilt.Next());
        again.Head.Should().Be(rebuilt.Head);
    }

    [Fact]
    public void A_restart_whose_logged_keys_do_not_rebuild_the_head_root_is_refused()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        store.CommitBlock(chain.Next());
        store.CommitBlock(chain.Next());
        database.Write(_ => database.Collection("tree_log").Delete(new LiteDB.BsonValue(2L)));

        var open = () => new BlockStore(database, SyntheticChain.Identity);

        open.Should().Throw<StorageException>().WithMessage("*written at height 0*keys logged since*not the head's*");
    }

    [Fact]
    public void Reopening_the_database_finds_everything()
    {
        var chain = NewChain();
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            for (var i = 0; i < 4; i++)
            {
                store.CommitBlock(chain.Next());
            }
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        again.Head.Should().Be(chain.Head);
        var rebuilt = StoreChecks.HoldsChain(again, Seed, TransactionsPerBlock);
        again.CommitBlock(rebuilt.Next());
        again.Head.Height.Should().Be(5);
    }

    [Fact]
    public void Blocks_whose_writes_spill_past_LiteDB_page_budget_are_whole_after_reopening()
    {
        // 4,000 transactions of 1.5 KiB values: a block's write holds more than 1,000 pages when unbounded (LiteDB's
        // cache reached 2,662 pages for two such blocks, 1,662 with this budget, and the log grew by the spilled pages).
        const int largeBlock = 4_000;
        var chain = new SyntheticChain(Seed, largeBlock, valueBytes: 1_536);
        using (var database = new NodeDatabase(_folder.Path, transactionPagesMax: 1_000))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            var first = chain.Next();
            store.CommitBlock(first);
            var second = chain.Next();
            // A page already stored makes the insert fail after pages have spilled: the retry with upserts must still be whole.
            store.CommitBlock(second with { NewTreePages = [.. second.NewTreePages, first.NewTreePages[^1]] });
            store.CommitBlock(chain.Next());
            StoreChecks.HoldsChain(store, Seed, largeBlock);
        }

        using var reopened = new NodeDatabase(_folder.Path, transactionPagesMax: 1_000);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        again.Head.Should().Be(chain.Head);
        StoreChecks.HoldsChain(again, Seed, largeBlock);
    }

    [Fact]
    public void A_block_that_does_not_extend_the_head_is_refused_and_nothing_is_written()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var first = chain.Next();
        var second = chain.Next();

        var skipping = () => store.CommitBlock(second);
        skipping.Should().Throw<StorageException>().WithMessage("*does not extend the head at height 0*");

        store.CommitBlock(first);
        var again = () => store.CommitBlock(first);
        again.Should().Throw<StorageException>().WithMessage("*does not extend the head at height 1*");

        var forked = second with { Block = second.Block.Clone() };
        forked.Block.Header.PreviousBlockHash = ByteString.CopyFrom(new byte[32]);
        var wrongParent = () => store.CommitBlock(forked with { BlockHash = Contracts.Blocks.BlockHashing.HeaderHash(forked.Block.Header) });
        wrongParent.Should().Throw<StorageException>().WithMessage("*not the head*");

        store.Head.Should().Be(new ChainHead(1, first.BlockHash, first.StateRoot));
        store.GetBlock(2).Should().BeNull();
        store.CommitBlock(second);
        store.Head.Should().Be(chain.Head);
    }

    [Fact]
    public void A_block_whose_state_root_differs_from_its_header_is_refused()
    {
        var chain = NewChain();
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        var block = chain.Next();

        var commit = () => store.CommitBlock(block with { StateRoot = Hash32.Sha256("another root"u8) });

        commit.Should().Throw<StorageException>().WithMessage("*another state root*");
        store.Head.Height.Should().Be(0);
    }

    [Fact]
    public void A_database_of_another_chain_is_refused()
    {
        using (var database = new NodeDatabase(_folder.Path))
        {
            NewChain().InitialiseGenesis(new BlockStore(database, SyntheticChain.Identity));
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var otherGenesis = () => new BlockStore(reopened, SyntheticChain.Identity with { GenesisHash = Hash32.Sha256("other"u8) });
        var otherChain = () => new BlockStore(reopened, SyntheticChain.Identity with { ChainId = "corridor-2" });

        otherGenesis.Should().Throw<StorageException>().WithMessage("*belongs to chain 'storage-test'*configured for chain 'storage-test' with genesis*");
        otherChain.Should().Throw<StorageException>().WithMessage("*configured for chain 'corridor-2'*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void A_database_in_an_earlier_storage_format_is_refused(int format)
    {
        using var database = new NodeDatabase(_folder.Path);
        NewChain().InitialiseGenesis(new BlockStore(database, SyntheticChain.Identity));
        database.Write(_ =>
        {
            var meta = database.Collection("meta");
            var chain = meta.FindById("chain");
            if (format == 1)
            {
                // Format 1 databases had no format field in the chain document.
                chain.Remove("format");
            }
            else
            {
                chain["format"] = format;
            }
            meta.Update(chain);
        });

        var open = () => new BlockStore(database, SyntheticChain.Identity);

        open.Should().Throw<StorageException>().WithMessage($"*storage format {format}*format {BlockStore.StorageFormat}*does not convert*empty data folder*");
    }

    [Fact]
    public void A_record_and_its_public_half_share_one_document_and_each_changes_and_goes_alone()
    {
        var chain = NewChain();
        var certificate = StateKeys.Certificate("cn-ccpit/paired");
        var status = StateKeys.CertificateStatus("cn-ccpit/paired");
        var consignment = StateKeys.Consignment("kz-paired");
        var verdict = StateKeys.RouteVerdict("kz-paired");
        string[] keys = [certificate, status, consignment, verdict];
        var blocks = new[]
        {
            new Dictionary<string, byte[]?> { [certificate] = [1], [status] = [2], [consignment] = [3], [verdict] = [4] },
            // Only the public half changes: the record keeps its value.
            new Dictionary<string, byte[]?> { [status] = [5], [verdict] = [6] },
            // Only the record goes: its public half stays.
            new Dictionary<string, byte[]?> { [certificate] = null, [consignment] = [7] },
            // The last key of a document goes: so does the document.
            new Dictionary<string, byte[]?> { [status] = null, [consignment] = null, [verdict] = null },
        };
        using (var database = new NodeDatabase(_folder.Path))
        {
            chain.InitialiseGenesis(new BlockStore(database, SyntheticChain.Identity));
        }
        foreach (var changes in blocks)
        {
            // Reopened for each block: the reads below come from the documents, not from the cache the writer keeps.
            using (var database = new NodeDatabase(_folder.Path))
            {
                new BlockStore(database, SyntheticChain.Identity).CommitBlock(chain.Next(changes));
            }
            using var reopened = new NodeDatabase(_folder.Path);
            var store = new BlockStore(reopened, SyntheticChain.Identity);
            foreach (var key in keys)
            {
                store.State.Get(key).Should().Equal(chain.State.Get(key), $"{key} reads as committed at height {store.Head.Height}");
            }
            (StoredDocument(reopened, status) is null).Should().BeTrue("a certificate's status is kept in the certificate's document");
            (StoredDocument(reopened, verdict) is null).Should().BeTrue("a consignment's verdict is kept in the consignment's document");
            store.Head.Should().Be(chain.Head);
        }
        using (var database = new NodeDatabase(_folder.Path))
        {
            (StoredDocument(database, certificate) is null).Should().BeTrue("both of its keys are gone");
            (BucketOf(database, certificate) is null).Should().BeTrue("its only document is gone");
            (StoredDocument(database, consignment) is null).Should().BeTrue("both of its keys are gone");
        }
    }

    [Fact]
    public void Documents_that_share_a_bucket_keep_each_other_through_inserts_updates_and_deletes()
    {
        // Two ids whose hashes share 64 bits cannot be found: put a stranger into the buckets the chain's keys use.
        var chain = NewChain();
        var stranger = new BsonDocument { [StateDocuments.IdField] = "cert/stranger", [StateDocuments.ValueField] = new byte[] { 9, 9 } };
        var inserted = SyntheticChain.CertificateKey(1, 5);
        var updated = SyntheticChain.CertificateKey(1, 0);
        var deleted = SyntheticChain.CertificateKey(1, 1);
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            foreach (var key in new[] { inserted, updated, deleted })
            {
                var bucket = StateDocuments.Of(key);
                database.Write(_ => database.Collection($"state_{bucket.Shard:x2}").Insert(
                    new BsonDocument { ["_id"] = bucket.Bucket, [Buckets.EntriesField] = new BsonArray { stranger } }));
            }

            // Block 1 inserts all three into buckets that exist; block 2 rewrites the first and deletes the second.
            store.CommitBlock(chain.Next());
            store.CommitBlock(chain.Next());
        }

        using var reopened = new NodeDatabase(_folder.Path);
        foreach (var key in new[] { inserted, updated, deleted })
        {
            var entries = BucketOf(reopened, key)![Buckets.EntriesField].AsArray.Select(e => e.AsDocument).ToArray();
            entries.Should().ContainSingle(e => e[StateDocuments.IdField].AsString == "cert/stranger", $"the stranger in {key}'s bucket stays")
                .Which[StateDocuments.ValueField].AsBinary.Should().Equal(9, 9);
        }
        (StoredDocument(reopened, deleted) is null).Should().BeTrue();
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        foreach (var key in new[] { inserted, updated, deleted })
        {
            again.State.Get(key).Should().Equal(chain.State.Get(key), $"{key} reads back beside the stranger");
        }
    }

    [Fact]
    public void Tree_pages_that_share_a_bucket_keep_each_other()
    {
        var chain = NewChain();
        var stranger = new BsonDocument { [StoredTreePages.RootField] = new byte[32], [StoredTreePages.PageField] = new byte[] { 7 } };
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        chain.InitialiseGenesis(store);
        while (chain.Head.Height + 1 < BlockStore.TreeWriteInterval)
        {
            store.CommitBlock(chain.Next());
        }
        // The block that writes every page its root reaches, the held upper ones too.
        var block = chain.Next();
        var shared = block.NewTreePages.Take(3).ToArray();
        foreach (var page in shared)
        {
            var (bucket, shard) = StoredTreePages.BucketOf(page.Root);
            database.Write(_ => database.Collection($"tree_pages_{shard:x2}").Insert(
                new BsonDocument { ["_id"] = bucket, [Buckets.EntriesField] = new BsonArray { stranger } }));
        }

        store.CommitBlock(block);

        foreach (var page in shared)
        {
            var (bucket, shard) = StoredTreePages.BucketOf(page.Root);
            var entries = database.Collection($"tree_pages_{shard:x2}").FindById(bucket)[Buckets.EntriesField].AsArray;
            entries.Count.Should().Be(2, "the page is filed beside the stranger");
            store.TreePages.TryGetPage(page.Root)!.Encode().Should().Equal(page.Encode());
        }
        StoreChecks.HoldsChain(store, Seed, TransactionsPerBlock);
    }

    private static BsonDocument? BucketOf(NodeDatabase database, string documentId)
    {
        var document = StateDocuments.Of(documentId);
        return database.Collection($"state_{document.Shard:x2}").FindById(document.Bucket);
    }

    private static BsonDocument? StoredDocument(NodeDatabase database, string documentId) =>
        BucketOf(database, documentId)?[Buckets.EntriesField].AsArray.Select(e => e.AsDocument).FirstOrDefault(e => e[StateDocuments.IdField].AsString == documentId);

    [Fact]
    public void A_second_process_or_instance_cannot_open_the_same_folder()
    {
        using var database = new NodeDatabase(_folder.Path);

        var second = () => new NodeDatabase(_folder.Path);

        second.Should().Throw<StorageException>().WithMessage("*in use by another process*");
    }

    [Fact]
    public void State_keys_that_differ_only_in_case_are_different_keys()
    {
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        var entries = new List<KeyValuePair<string, byte[]?>> { new("cert/A", [1]), new("cert/a", [2]) };
        store.InitialiseGenesis(entries, LedgerStateMachine.Genesis(entries, new InMemoryTreePageStore()));

        store.State.Get("cert/A").Should().Equal(1);
        store.State.Get("cert/a").Should().Equal(2);
    }

    private static SyntheticChain NewChain() => new(Seed, TransactionsPerBlock, valueBytes: 1_536);
}
