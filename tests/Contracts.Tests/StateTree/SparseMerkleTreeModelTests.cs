using Ledger.Contracts.Crypto;
using Ledger.Contracts.StateTree;
using static Ledger.Contracts.Tests.StateTree.TreeTestKit;

namespace Ledger.Contracts.Tests.StateTree;

public sealed class SparseMerkleTreeModelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2024)]
    public void Random_operations_agree_with_a_sorted_dictionary_and_every_proof_verifies(int seed)
    {
        var random = new Random(seed);
        var store = new InMemoryTreeNodeStore();
        var tree = Empty(store);
        var model = new SortedDictionary<string, string>(StringComparer.Ordinal);
        const int keySpace = 150;

        for (var round = 0; round < 40; round++)
        {
            // Batches of 1..12 distinct keys, a third of them deletes (often of absent keys).
            var changes = Enumerable.Range(0, random.Next(1, 13))
                .Select(_ => random.Next(keySpace))
                .Distinct()
                .Select(k => random.Next(3) == 0 ? Delete($"k{k}") : Set($"k{k}", $"v{random.Next(5)}"))
                .ToArray();
            var before = tree.Root;
            tree = tree.Commit(store, changes);
            foreach (var (key, value) in changes)
            {
                var name = System.Text.Encoding.UTF8.GetString(key);
                if (value is null)
                {
                    model.Remove(name);
                }
                else
                {
                    model[name] = System.Text.Encoding.UTF8.GetString(value);
                }
            }

            // The root depends only on the contents: rebuilding the model from scratch gives it.
            var rebuilt = Empty(new InMemoryTreeNodeStore()).Apply(model.Select(e => Set(e.Key, e.Value)).ToArray());
            rebuilt.Root.Should().Be(tree.Root, $"round {round} after {before}");

            for (var k = 0; k < keySpace; k++)
            {
                var key = Utf8($"k{k}");
                var expected = model.TryGetValue($"k{k}", out var value) ? Utf8(value) : null;
                var actual = tree.Get(key);
                if (expected is null)
                {
                    actual.Should().BeNull();
                }
                else
                {
                    actual.Should().Equal(expected);
                }
                var proof = StateProof.FromWire(tree.Prove(key).ToWire());
                StateProof.Verify(tree.Root, key, expected, proof).Should().BeTrue($"k{k} in round {round}");
                StateProof.Verify(tree.Root, key, expected is null ? Utf8("v0") : null, proof).Should().BeFalse();
            }
        }
        model.Should().NotBeEmpty();
        tree.Root.Should().NotBe(Hash32.Zero);
    }
}
