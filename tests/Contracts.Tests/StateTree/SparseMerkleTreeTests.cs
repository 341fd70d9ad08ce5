using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using static Ledger.Contracts.Tests.StateTree.TreeTestKit;

namespace Ledger.Contracts.Tests.StateTree;

public sealed class SparseMerkleTreeTests
{
    private readonly InMemoryTreeNodeStore _store = new();

    [Fact]
    public void Empty_tree_root_is_zero()
    {
        Empty(_store).Root.Should().Be(Hash32.Zero);
        Empty(_store).Apply([]).Root.Should().Be(Hash32.Zero);
        Empty(_store).Apply([Delete("absent")]).NewNodes.Should().BeEmpty();
    }

    [Theory]
    // Computed by an independent script from docs/PROTOCOL.md, "State tree and state proofs" (also listed there as test vectors).
    [InlineData(1, "565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3")]
    [InlineData(2, "70a50295110313dd28320faccbee14d04dc2894e877a2e407115a2f337ed4efa")]
    [InlineData(3, "8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a")]
    public void Roots_match_the_documented_test_vectors(int keyCount, string expectedRoot)
    {
        var changes = new[] { Set("a", "1"), Set("b", "2"), Set("c", "3") }.Take(keyCount).ToArray();

        Empty(_store).Apply(changes).Root.Should().Be(Hash32.Parse(expectedRoot));
    }

    [Fact]
    public void A_single_leaf_is_the_root_whatever_its_depth()
    {
        var expected = Hash32.Sha256([0x00, .. Hash32.Sha256(Utf8("a")).Span, .. Hash32.Sha256(Utf8("1")).Span]);

        Empty(_store).Apply([Set("a", "1")]).Root.Should().Be(expected);
    }

    [Fact]
    public void Same_key_values_in_different_orders_and_batch_splits_give_the_same_root()
    {
        var changes = Enumerable.Range(0, 300).Select(i => Set($"key-{i}", $"value-{i}")).ToArray();
        var oneBatch = Empty(_store).Apply(changes).Root;

        var reversed = Empty(_store).Apply(changes.Reverse().ToArray()).Root;
        var shuffled = changes.ToArray();
        new Random(7).Shuffle(shuffled);
        var tree = Empty(_store);
        foreach (var chunk in shuffled.Chunk(37))
        {
            tree = tree.Commit(_store, chunk);
        }
        var oneByOne = Empty(_store);
        foreach (var change in changes)
        {
            oneByOne = oneByOne.Commit(_store, change);
        }

        reversed.Should().Be(oneBatch);
        tree.Root.Should().Be(oneBatch);
        oneByOne.Root.Should().Be(oneBatch);
    }

    [Fact]
    public void Insert_then_delete_restores_the_previous_root_exactly()
    {
        var before = Empty(_store).Commit(_store, Enumerable.Range(0, 50).Select(i => Set($"k{i}", "v")).ToArray());

        var inserted = before.Commit(_store, Set("new-1", "x"), Set("new-2", "y"));
        var deleted = inserted.Commit(_store, Delete("new-2"), Delete("new-1"));
        var oneAtATime = inserted.Commit(_store, Delete("new-1")).Commit(_store, Delete("new-2"));

        inserted.Root.Should().NotBe(before.Root);
        deleted.Root.Should().Be(before.Root);
        oneAtATime.Root.Should().Be(before.Root);
    }

    [Fact]
    public void Deleting_every_key_gives_the_empty_root()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i}").ToArray();
        var full = Empty(_store).Commit(_store, keys.Select(k => Set(k, "v")).ToArray());

        full.Commit(_store, keys.Select(Delete).ToArray()).Root.Should().Be(Hash32.Zero);
    }

    [Fact]
    public void Get_returns_the_latest_values_after_updates()
    {
        var tree = Empty(_store)
            .Commit(_store, Set("a", "1"), Set("b", "2"), Set("c", "3"))
            .Commit(_store, Set("b", "20"), Delete("c"), Set("d", "4"));

        tree.Get(Utf8("a")).Should().Equal(Utf8("1"));
        tree.Get(Utf8("b")).Should().Equal(Utf8("20"));
        tree.Get(Utf8("c")).Should().BeNull();
        tree.Get(Utf8("d")).Should().Equal(Utf8("4"));
        tree.Get(Utf8("never")).Should().BeNull();
    }

    [Fact]
    public void Old_roots_stay_readable_after_later_batches()
    {
        var first = Empty(_store).Commit(_store, Set("a", "1"), Set("b", "2"));
        first.Commit(_store, Set("a", "changed"), Delete("b"));

        new SparseMerkleTree(_store, first.Root).Get(Utf8("a")).Should().Equal(Utf8("1"));
        new SparseMerkleTree(_store, first.Root).Get(Utf8("b")).Should().Equal(Utf8("2"));
    }

    [Fact]
    public void An_empty_value_is_present_not_deleted()
    {
        var tree = Empty(_store).Commit(_store, new KeyValuePair<byte[], byte[]?>(Utf8("a"), []));

        tree.Get(Utf8("a")).Should().BeEmpty();
        tree.Root.Should().NotBe(Hash32.Zero);
    }

    [Fact]
    public void Writing_the_same_value_again_changes_nothing_and_emits_nothing()
    {
        var tree = Empty(_store).Commit(_store, Set("a", "1"), Set("b", "2"), Set("c", "3"));

        var update = tree.Apply([Set("b", "2"), Delete("absent")]);

        update.Root.Should().Be(tree.Root);
        update.NewNodes.Should().BeEmpty();
        update.StaleNodes.Should().BeEmpty();
    }

    [Fact]
    public void A_key_changed_twice_in_one_batch_is_refused()
    {
        var act = () => Empty(_store).Apply([Set("a", "1"), Set("b", "2"), Delete("a")]);

        act.Should().Throw<ArgumentException>().WithMessage("*61*twice*");
    }

    [Fact]
    public void Apply_returns_only_nodes_reachable_from_the_new_root()
    {
        var random = new Random(11);
        var tree = Empty(_store);
        var batches = new List<IReadOnlyList<TreeNode>>();
        for (var round = 0; round < 20; round++)
        {
            var changes = Enumerable.Range(0, 60)
                .Select(_ => random.Next(400))
                .Distinct()
                .Select(k => random.Next(4) == 0 ? Delete($"k{k}") : Set($"k{k}", $"v{round}-{k}"))
                .ToArray();
            var update = tree.Apply(changes);
            var oldReachable = Reachable(_store, tree.Root);
            // Only the old tree and the batch: a node missing from both would make the walk fail.
            var newStore = new InMemoryTreeNodeStore();
            newStore.Put(oldReachable.Select(h => new TreeNode(h, _store.TryGet(h)!)).ToList());
            newStore.Put(update.NewNodes);
            var reachable = Reachable(newStore, update.Root);

            update.NewNodes.Select(n => n.Hash).Should().OnlyHaveUniqueItems().And.BeSubsetOf(reachable);
            update.NewNodes.Select(n => n.Hash).Should().NotIntersectWith(oldReachable, "a node of the old tree is not new");
            update.StaleNodes.Should().NotIntersectWith(reachable);
            update.StaleNodes.Should().BeSubsetOf(oldReachable);
            oldReachable.Except(update.StaleNodes).Should().BeSubsetOf(reachable, "only stale nodes drop out of the tree");

            _store.Put(update.NewNodes);
            batches.Add(update.NewNodes);
            tree = new SparseMerkleTree(_store, update.Root);
        }

        var fresh = new InMemoryTreeNodeStore();
        foreach (var batch in batches)
        {
            fresh.Put(batch);
        }
        var replay = new SparseMerkleTree(fresh, tree.Root);
        for (var k = 0; k < 400; k++)
        {
            replay.Get(Utf8($"k{k}")).Should().Equal(tree.Get(Utf8($"k{k}")));
        }
    }

    [Fact]
    public void Pruning_stale_nodes_keeps_the_latest_root_whole()
    {
        var tree = Empty(_store).Commit(_store, Enumerable.Range(0, 100).Select(i => Set($"k{i}", "v")).ToArray());

        var update = tree.Apply([Set("k1", "w"), Delete("k2"), Set("k200", "v")]);
        _store.Put(update.NewNodes);
        _store.Remove(update.StaleNodes);

        _store.Count.Should().Be(Reachable(_store, update.Root).Count);
        new SparseMerkleTree(_store, update.Root).Get(Utf8("k1")).Should().Equal(Utf8("w"));
    }

    [Fact]
    public void A_corrupt_or_missing_node_is_reported_not_read()
    {
        var tree = Empty(_store).Commit(_store, Set("a", "1"), Set("b", "2"));
        var node = _store.TryGet(tree.Root)!;

        var missing = () => new SparseMerkleTree(new InMemoryTreeNodeStore(), tree.Root).Get(Utf8("a"));
        node[40] ^= 1;
        var corrupt = () => tree.Get(Utf8("a"));

        missing.Should().Throw<InvalidDataException>().WithMessage("*missing*");
        corrupt.Should().Throw<InvalidDataException>().WithMessage("*hashes to*");
    }

    [Fact]
    public void The_store_refuses_a_node_under_the_wrong_hash()
    {
        var update = Empty(_store).Apply([Set("a", "1")]);

        var act = () => _store.Put([new TreeNode(Hash32.Sha256(Utf8("other")), update.NewNodes[0].Bytes)]);

        act.Should().Throw<ArgumentException>();
        _store.Count.Should().Be(0);
    }
}
