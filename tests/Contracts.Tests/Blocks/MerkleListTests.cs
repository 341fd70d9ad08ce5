using System.Security.Cryptography;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.Tests.Blocks;

public sealed class MerkleListTests
{
    private static byte[][] Items(int count) => Enumerable.Range(0, count).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToArray();

    [Fact]
    public void Empty_list_hashes_to_sha256_of_nothing()
    {
        MerkleList.Root([]).ToString().Should().Be("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Two_items_hash_as_rfc6962_leaf_and_node()
    {
        byte[] a = [1], b = [2];
        var leafA = SHA256.HashData([0, 1]);
        var leafB = SHA256.HashData([0, 2]);
        var expected = SHA256.HashData([1, .. leafA, .. leafB]);

        MerkleList.Root([a, b]).Should().Be(new Hash32(expected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    public void Every_item_has_an_inclusion_proof_that_verifies(int count)
    {
        var items = Items(count);
        var root = MerkleList.Root(items);
        for (var i = 0; i < count; i++)
        {
            MerkleList.Verify(root, items[i], i, count, MerkleList.Proof(items, i)).Should().BeTrue($"item {i} of {count}");
        }
    }

    [Fact]
    public void A_proof_does_not_verify_another_item_position_or_a_tampered_sibling()
    {
        var items = Items(6);
        var root = MerkleList.Root(items);
        var proof = MerkleList.Proof(items, 4);

        MerkleList.Verify(root, items[3], 4, 6, proof).Should().BeFalse();
        MerkleList.Verify(root, items[4], 5, 6, proof).Should().BeFalse();
        var tampered = proof.ToArray();
        var bytes = tampered[0].ToArray();
        bytes[0] ^= 1;
        tampered[0] = new Hash32(bytes);
        MerkleList.Verify(root, items[4], 4, 6, tampered).Should().BeFalse();
        MerkleList.Verify(root, items[4], 4, 6, proof.Take(proof.Count - 1).ToArray()).Should().BeFalse();
    }

    [Fact]
    public void Order_of_items_changes_the_root()
    {
        var items = Items(4);
        MerkleList.Root(items).Should().NotBe(MerkleList.Root(items.Reverse().ToArray()));
    }
}
