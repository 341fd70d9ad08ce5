using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Byzantine;

/// <summary>
/// Finding 4 of issue 18: at ec96c90 the host kept up to 64 attached blocks of any size from anyone (ten 32 MiB blocks
/// were all kept against a 384 MiB heap). Now each validator has its own quota, in count and bytes.
/// </summary>
public sealed class ProposedBlocksTests
{
    private static Block BlockOf(ulong height, int bytes, int seed) => new()
    {
        Header = new BlockHeader { Height = height, Proposer = $"p{seed}" },
        Transactions = { new TxEnvelope { Body = ByteString.CopyFrom(new byte[bytes]), Signature = ByteString.CopyFrom(BitConverter.GetBytes(seed)) } },
    };

    private static Hash32 Id(int seed) => Hash32.Sha256(BitConverter.GetBytes(seed));

    [Fact]
    public void One_validator_s_large_blocks_fill_its_own_quota_and_not_another_s()
    {
        var blocks = new ProposedBlocks();
        var large = (int)(ProposedBlocks.BytesPerSourceMax / 3);
        var evicted = new List<Hash32>();
        foreach (var i in Enumerable.Range(0, 10))
        {
            blocks.TryAdd(Id(i), BlockOf(2, large, i), source: 3, evicted: evicted.Add).Should().BeTrue("the oldest give way");
        }

        blocks.BytesOf(3).Should().BeLessThanOrEqualTo(ProposedBlocks.BytesPerSourceMax);
        blocks.Count.Should().Be(2, "three of these would pass the byte quota");
        blocks.Find(Id(9)).Should().NotBeNull();
        blocks.Find(Id(0)).Should().BeNull();
        evicted.Should().Equal(Enumerable.Range(0, 8).Select(Id));
        blocks.TryAdd(Id(100), BlockOf(2, large, 100), source: 1).Should().BeTrue("another validator's quota is its own");
        blocks.Find(Id(9)).Should().NotBeNull("nothing of validator 3 gave way for validator 1");
    }

    [Fact]
    public void Many_small_blocks_are_bounded_in_count_the_newest_kept()
    {
        var blocks = new ProposedBlocks();

        foreach (var i in Enumerable.Range(0, 100))
        {
            blocks.TryAdd(Id(i), BlockOf(2, 10, i), source: 2);
        }

        blocks.Count.Should().Be(ProposedBlocks.BlocksPerSourceMax);
        Enumerable.Range(100 - ProposedBlocks.BlocksPerSourceMax, ProposedBlocks.BlocksPerSourceMax).Should().OnlyContain(i => blocks.Find(Id(i)) != null);
    }

    [Fact]
    public void Blocks_in_use_never_give_way_and_then_a_full_quota_refuses()
    {
        var blocks = new ProposedBlocks();
        foreach (var i in Enumerable.Range(0, ProposedBlocks.BlocksPerSourceMax))
        {
            blocks.TryAdd(Id(i), BlockOf(2, 10, i), source: 2);
        }

        blocks.TryAdd(Id(500), BlockOf(2, 10, 500), source: 2, inUse: _ => true).Should().BeFalse();
        blocks.TryAdd(Id(501), BlockOf(2, 10, 501), source: 2, inUse: id => id != Id(7)).Should().BeTrue();
        blocks.Find(Id(7)).Should().BeNull("the one block not in use gave way");
        blocks.Find(Id(0)).Should().NotBeNull();
    }

    [Fact]
    public void The_first_faithful_copy_stays_and_a_commit_returns_the_quota()
    {
        var blocks = new ProposedBlocks();
        var first = BlockOf(2, 100, 1);
        blocks.TryAdd(Id(1), first, source: 2).Should().BeTrue();
        blocks.TryAdd(Id(1), BlockOf(2, 100, 1), source: 3).Should().BeFalse();
        blocks.Find(Id(1)).Should().BeSameAs(first);

        blocks.DropUpTo(2);

        blocks.Count.Should().Be(0);
        blocks.BytesOf(2).Should().Be(0);
    }

    [Fact]
    public void This_node_s_own_blocks_are_not_charged()
    {
        var blocks = new ProposedBlocks();

        var kept = Enumerable.Range(0, 40).Count(i => blocks.TryAdd(Id(i), BlockOf(2, 10, i), ProposedBlocks.Self));

        kept.Should().Be(40);
    }
}
