using Ledger.Node.Storage;

namespace Ledger.Node.Tests.NetworkWire;

public sealed class ReadCacheTests
{
    [Fact]
    public void The_cache_holds_at_most_two_generations_and_keeps_what_is_read_again()
    {
        var cache = new ReadCache<int, string>(generationMax: 3);
        for (var i = 0; i < 4; i++)
        {
            cache.Set(i, $"v{i}");
        }
        // 0..3 filled the young generation past 3: they became the old one.
        cache.TryGet(0, out var zero).Should().BeTrue();
        zero.Should().Be("v0");
        for (var i = 4; i < 12; i++)
        {
            cache.Set(i, $"v{i}");
        }

        cache.TryGet(1, out _).Should().BeFalse("an entry not read for two generations is dropped");
        cache.TryGet(11, out var last).Should().BeTrue();
        last.Should().Be("v11");
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
