using System.Security.Cryptography;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using static Ledger.Contracts.Tests.StateTree.TreeTestKit;

namespace Ledger.Contracts.Tests.StateTree;

public sealed class TreePageTests
{
    // Keys whose paths share their first 16 bits: they reach below the second band boundary with few keys.
    private static readonly string[] DeepKeys = MineKeysSharingTwoBytes(20);

    [Theory]
    [InlineData(3)]
    [InlineData(77)]
    [InlineData(101)]
    [InlineData(113)]
    [InlineData(127)]
    [InlineData(139)]
    public void Band_pages_give_the_same_roots_and_proofs_as_single_nodes_over_random_batches(int seed)
    {
        var random = new Random(seed);
        var nodes = new InMemoryTreeNodeStore();
        var pages = new InMemoryTreePageStore();
        var unpaged = Empty(nodes);
        var paged = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot);
        var keys = Enumerable.Range(0, 600).Select(i => $"k{i}").Concat(DeepKeys).ToArray();
        var roots = new List<Hash32>();

        for (var round = 0; round < 30; round++)
        {
            // Few distinct values, so keys are often set back to a value they had; a quarter are deletes.
            var changes = Enumerable.Range(0, random.Next(1, 250))
                .Select(_ => keys[random.Next(keys.Length)])
                .Distinct()
                .Select(k => random.Next(4) == 0 ? Delete(k) : Set(k, $"v{random.Next(3)}"))
                .ToArray();
            unpaged = unpaged.Commit(nodes, changes);
            var update = paged.Apply(changes);
            pages.Put(update.NewPages);
            paged = new SparseMerkleTree(pages, update.Root);

            paged.Root.Should().Be(unpaged.Root, $"round {round}");
            roots.Add(paged.Root);
            var older = roots[random.Next(roots.Count)];
            foreach (var key in DeepKeys.Concat(keys.Take(40)))
            {
                new SparseMerkleTree(pages, paged.Root).Prove(Utf8(key)).Should().Be(unpaged.Prove(Utf8(key)), $"{key} in round {round}");
                new SparseMerkleTree(pages, older).Prove(Utf8(key)).Should().Be(new SparseMerkleTree(nodes, older).Prove(Utf8(key)), $"{key} under an older root");
            }
            CheckBands(pages, paged.Root);
        }
    }

    [Fact]
    public void A_tree_of_many_keys_is_written_in_far_fewer_pages_than_nodes()
    {
        var pages = new InMemoryTreePageStore();
        var tree = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot);
        var update = tree.Apply(Enumerable.Range(0, 3_000).Select(i => Set($"k{i}", "v")).Concat(DeepKeys.Select(k => Set(k, "v"))).ToArray());
        pages.Put(update.NewPages);

        update.NewPages.Count.Should().BeLessThan(update.NewNodes.Count / 20);
        update.NewPages.Sum(p => p.NodeCount).Should().Be(update.NewNodes.Count, "every node of a fresh tree is in exactly one page");
        CheckBands(pages, update.Root);
    }

    [Fact]
    public void A_page_names_the_roots_of_the_pages_one_band_below_it()
    {
        var pages = new InMemoryTreePageStore();
        var update = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot).Apply(Enumerable.Range(0, 3_000).Select(i => Set($"k{i}", "v")).ToArray());
        var rootPage = update.NewPages.Single(p => p.Root == update.Root);

        var children = rootPage.ChildPageRoots();

        // 3,000 keys fill all 256 subtrees at depth 8; some pairs share 16 path bits, and their pages hang one band lower.
        children.Should().HaveCount(256).And.OnlyHaveUniqueItems();
        var grandchildren = children.SelectMany(c => update.NewPages.Single(p => p.Root == c).ChildPageRoots()).ToList();
        grandchildren.Should().NotBeEmpty();
        children.Concat(grandchildren).Select(h => h.ToString()).Should()
            .BeEquivalentTo(update.NewPages.Where(p => p != rootPage).Select(p => p.Root.ToString()));
    }

    [Fact]
    public void A_page_reads_back_from_its_stored_bytes_which_keep_no_inner_hashes_and_no_values()
    {
        var update = new SparseMerkleTree(new InMemoryTreePageStore(), SparseMerkleTree.EmptyRoot)
            .Apply(Enumerable.Range(0, 500).Select(i => Set($"k{i}", $"value {i}")).ToArray());

        foreach (var page in update.NewPages)
        {
            var bytes = page.Encode();
            var decoded = TreePage.Decode(page.Root, bytes);
            decoded.NodeCount.Should().Be(page.NodeCount);
            decoded.Encode().Should().Equal(bytes);
            foreach (var node in update.NewNodes.Where(n => page.TryGet(n.Hash) is not null))
            {
                decoded.TryGet(node.Hash).Should().Equal(node.Bytes.Take(TreePage.NodeBytes), "a leaf is read back without its value");
            }
        }
        var root = update.NewPages.Single(p => p.Root == update.Root);
        root.Encode().Length.Should().BeLessThan(root.NodeCount * TreePage.NodeBytes * 3 / 4, "inner hashes are recomputed, not stored");
    }

    [Fact]
    public void A_damaged_page_is_refused_when_read()
    {
        var update = new SparseMerkleTree(new InMemoryTreePageStore(), SparseMerkleTree.EmptyRoot)
            .Apply(Enumerable.Range(0, 500).Select(i => Set($"k{i}", $"value {i}")).ToArray());
        var page = update.NewPages.Single(p => p.Root == update.Root);
        var flipped = page.Encode();
        flipped[^1] ^= 1;

        FluentActions.Invoking(() => TreePage.Decode(page.Root, page.Encode().AsSpan(..^1))).Should().Throw<InvalidDataException>().WithMessage("*ends in the middle*");
        FluentActions.Invoking(() => TreePage.Decode(page.Root, [.. page.Encode(), 0])).Should().Throw<InvalidDataException>().WithMessage("*after its last node*");
        FluentActions.Invoking(() => TreePage.Decode(update.NewPages[^1].Root, page.Encode())).Should().Throw<InvalidDataException>().WithMessage("*hashes to*");
        FluentActions.Invoking(() => TreePage.Decode(page.Root, flipped)).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void A_missing_page_is_reported_as_a_broken_store()
    {
        var pages = new InMemoryTreePageStore();
        var update = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot).Apply(DeepKeys.Select(k => Set(k, "v")).ToArray());
        pages.Put(update.NewPages);
        var deepPage = update.NewPages.First(p => p.Root != update.Root);
        pages.Remove(deepPage.Root).Should().BeTrue();
        var tree = new SparseMerkleTree(pages, update.Root);

        FluentActions.Invoking(() => DeepKeys.Select(k => tree.Prove(Utf8(k))).ToList())
            .Should().Throw<InvalidDataException>().WithMessage($"*{deepPage.Root}*missing*");
        FluentActions.Invoking(() => tree.Apply([.. DeepKeys.Select(k => Set(k, "w"))]))
            .Should().Throw<InvalidDataException>().WithMessage("*missing*");
    }

    [Fact]
    public void A_leaf_left_alone_at_the_root_gets_a_page_of_its_own()
    {
        var pages = new InMemoryTreePageStore();
        var tree = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot);
        var first = tree.Apply([.. DeepKeys.Select(k => Set(k, "v")), Set("a", "1")]);
        pages.Put(first.NewPages);

        // Deleting all but one deep key pulls its old leaf up from a lower page to the root.
        var second = new SparseMerkleTree(pages, first.Root).Apply([.. DeepKeys.Skip(1).Select(Delete), Delete("a")]);
        pages.Put(second.NewPages);

        second.NewNodes.Should().BeEmpty("the remaining leaf is an old one");
        pages.TryGetPage(second.Root).Should().NotBeNull();
        var proof = new SparseMerkleTree(pages, second.Root).Prove(Utf8(DeepKeys[0]));
        StateProof.Verify(second.Root, Utf8(DeepKeys[0]), Utf8("v"), proof).Should().BeTrue();
    }

    [Fact]
    public void Reading_a_value_through_band_pages_says_values_live_in_the_state()
    {
        var pages = new InMemoryTreePageStore();
        var update = new SparseMerkleTree(pages, SparseMerkleTree.EmptyRoot).Apply([Set("a", "1"), Set("b", "2")]);
        pages.Put(update.NewPages);
        var tree = new SparseMerkleTree(pages, update.Root);

        FluentActions.Invoking(() => tree.Get(Utf8("a"))).Should().Throw<InvalidOperationException>().WithMessage("*without its value*");
        tree.Get(Utf8("absent")).Should().BeNull();
    }

    [Fact]
    public void A_store_of_single_nodes_gets_no_pages()
    {
        new SparseMerkleTree(new InMemoryTreeNodeStore(), SparseMerkleTree.EmptyRoot).Apply([Set("a", "1")]).NewPages.Should().BeEmpty();
    }

    /// <summary>
    /// Walks every page under <paramref name="root"/>: each holds exactly its band (internal nodes at most 7 levels
    /// below its root, leaves at most 8) and every node of it is reachable inside it; internal nodes one band down
    /// are the roots of stored pages.
    /// </summary>
    private static void CheckBands(InMemoryTreePageStore pages, Hash32 root)
    {
        if (root == Hash32.Zero)
        {
            return;
        }
        var pending = new Stack<(Hash32 Root, int Depth)>();
        pending.Push((root, 0));
        while (pending.TryPop(out var top))
        {
            var page = pages.TryGetPage(top.Root);
            page.Should().NotBeNull($"the page of {top.Root} at depth {top.Depth} is stored");
            top.Depth.Should().Be(top.Depth / TreePage.BandDepth * TreePage.BandDepth);
            var seen = 0;
            var walk = new Stack<(Hash32 Hash, int Depth)>();
            walk.Push((top.Root, top.Depth));
            while (walk.TryPop(out var at))
            {
                var bytes = page!.TryGet(at.Hash);
                if (bytes is null)
                {
                    at.Depth.Should().Be(top.Depth + TreePage.BandDepth, "only nodes one band down are outside the page");
                    pending.Push(at);
                    continue;
                }
                seen++;
                var node = TreeNodeEncoding.Decode(at.Hash, bytes);
                if (node.IsLeaf)
                {
                    at.Depth.Should().BeLessThanOrEqualTo(top.Depth + TreePage.BandDepth);
                    continue;
                }
                at.Depth.Should().BeLessThan(top.Depth + TreePage.BandDepth);
                foreach (var child in new[] { node.Left, node.Right }.Where(c => c != Hash32.Zero))
                {
                    walk.Push((child, at.Depth + 1));
                }
            }
            seen.Should().Be(page!.NodeCount, $"the page of {top.Root} holds nothing outside its band");
        }
    }

    private static string[] MineKeysSharingTwoBytes(int count)
    {
        var keys = new List<string>();
        for (var i = 0; keys.Count < count; i++)
        {
            var path = SHA256.HashData(Utf8($"deep{i}"));
            if (path[0] == 0 && path[1] == 0)
            {
                keys.Add($"deep{i}");
            }
        }
        return [.. keys];
    }
}
