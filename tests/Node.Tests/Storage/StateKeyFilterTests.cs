using Ledger.Node.Storage;

namespace Ledger.Node.Tests.Storage;

public sealed class StateKeyFilterTests
{
    // What the store adds: the bucket a key's document is filed under.
    private static long Bucket(string key) => StateDocuments.Of(key).Bucket;

    [Fact]
    public void Nothing_is_absent_until_the_filter_is_complete()
    {
        var filter = new StateKeyFilter();
        filter.Add(Bucket("cert/a"));

        filter.MayContain(Bucket("cert/never-added")).Should().BeTrue("an incomplete filter may be missing stored keys");

        filter.MarkComplete();
        filter.MayContain(Bucket("cert/a")).Should().BeTrue();
        filter.MayContain(Bucket("cert/never-added")).Should().BeFalse();
    }

    [Fact]
    public void Every_added_key_stays_present_across_growth_and_few_absent_keys_pass()
    {
        var filter = new StateKeyFilter();
        var added = Enumerable.Range(0, StateKeyFilter.FirstCapacity * 5).Select(i => $"tx/{i:x8}").ToArray();
        foreach (var key in added)
        {
            filter.Add(Bucket(key));
        }
        filter.MarkComplete();

        added.Should().OnlyContain(key => filter.MayContain(Bucket(key)));
        filter.Count.Should().Be(added.Length);
        var passed = Enumerable.Range(0, 100_000).Count(i => filter.MayContain(Bucket($"cert/absent-{i}")));
        // Three segments at about 1% each.
        passed.Should().BeLessThan(4_000);
        filter.Bytes.Should().BeLessThan(added.Length * 3L, "a key costs about ten bits");
    }

    [Fact]
    public void Keys_added_from_several_threads_at_once_are_all_kept()
    {
        var filter = new StateKeyFilter();

        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < StateKeyFilter.FirstCapacity; i++)
            {
                filter.Add(Bucket($"state/{thread}/{i}"));
            }
        });
        filter.MarkComplete();

        for (var thread = 0; thread < 4; thread++)
        {
            for (var i = 0; i < StateKeyFilter.FirstCapacity; i++)
            {
                filter.MayContain(Bucket($"state/{thread}/{i}")).Should().BeTrue();
            }
        }
    }
}
