using Ledger.Node.Storage;

namespace Ledger.Node.Tests.NetworkWire;

public sealed class ReadCacheTests
{
    [Fact]
    public void The_cache_holds_at_most_two_generations_and_keeps_what_is_read_again()
    {
        var cache = new ReadCache<int, string>(generationMax: 3);
        for (var i = 0; i < 7; i++)
        {
            cache.Set(i, $"v{i}");
        }
        // 0..6 filled the young generation past 3 and the cache past 6: they became the old one.
        cache.TryGet(0, out var zero).Should().BeTrue();
        zero.Should().Be("v0");
        for (var i = 7; i < 15; i++)
        {
            cache.Set(i, $"v{i}");
        }

        cache.TryGet(1, out _).Should().BeFalse("an entry not read for two generations is dropped");
        cache.TryGet(14, out var last).Should().BeTrue();
        last.Should().Be("v14");
    }

    [Fact]
    public void Removed_entries_give_their_room_back_so_what_replaced_them_stays()
    {
        // Costed like tree pages: each version of a page replaces the one before it, as a block's update does.
        var cache = new ReadCache<string, string>(generationMax: 100, costOf: static v => v.Length);
        cache.Set("cold", new string('c', 50));
        for (var version = 1; version <= 40; version++)
        {
            cache.Remove([$"hot-{version - 1}"]);
            cache.Set($"hot-{version}", new string('h', 30));
        }

        cache.TryGet("cold", out _).Should().BeTrue("40 replacements of one entry never fill the cache when each replaced version is removed");
        cache.TryGet("hot-39", out _).Should().BeFalse();
        cache.TryGet("hot-40", out _).Should().BeTrue();
    }

    [Fact]
    public void Without_removal_superseded_entries_push_older_ones_out()
    {
        var cache = new ReadCache<string, string>(generationMax: 100, costOf: static v => v.Length);
        cache.Set("cold", new string('c', 50));
        for (var version = 1; version <= 40; version++)
        {
            cache.Set($"hot-{version}", new string('h', 30));
        }

        cache.TryGet("cold", out _).Should().BeFalse("1,200 of cost passed through a cache bounded near 200");
    }

    [Fact]
    public void A_reader_never_overwrites_what_the_writer_put_in_the_cache()
    {
        var cache = new ReadCache<string, string>(generationMax: 10);
        cache.Set("cert/A", "new");

        cache.TryAdd("cert/A", "old, read from the database before the commit");
        cache.TryAdd("cert/B", "first read");

        cache.TryGet("cert/A", out var a).Should().BeTrue();
        a.Should().Be("new");
        cache.TryGet("cert/B", out var b).Should().BeTrue();
        b.Should().Be("first read");
    }
}
