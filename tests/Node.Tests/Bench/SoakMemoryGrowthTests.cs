using Ledger.Node.Bench;

namespace Ledger.Node.Tests.Bench;

public sealed class SoakMemoryGrowthTests
{
    private const long Mib = 1024 * 1024;

    /// <summary>Samples every 2 s for 15 minutes; <paramref name="mib"/> gives a node's RSS at a second of the run.</summary>
    private static List<(double Seconds, int Node, long Bytes)> Run(int node, Func<double, long> mib) =>
        Enumerable.Range(0, 450).Select(i => (i * 2.0, node, mib(i * 2.0) * Mib)).ToList();

    [Fact]
    public void Caches_filling_in_the_first_third_then_a_flat_line_is_not_growth()
    {
        // 170 MiB at start, 330 MiB from minute 5 on: the soak at 200 tx/s looked so.
        var samples = Run(2, s => s < 300 ? 170 + (long)(s * 160 / 300) : 330);

        var growth = SoakMemoryGrowth.Of(samples);

        growth.Should().ContainSingle().Which.Should().Be(new SoakMemoryGrowth(2, 330 * Mib, 330 * Mib, 0, false));
    }

    [Fact]
    public void Memory_rising_through_the_whole_run_is_flagged()
    {
        // +20 MiB a minute, for good: a leak.
        var samples = Run(3, s => 170 + (long)(s / 3));

        var growth = SoakMemoryGrowth.Of(samples).Should().ContainSingle().Subject;

        growth.Flagged.Should().BeTrue();
        growth.ChangePercent.Should().BeGreaterThan(SoakMemoryGrowth.FlagPercent);
        growth.LastThirdMedianBytes.Should().BeGreaterThan(growth.MiddleThirdMedianBytes);
    }

    [Fact]
    public void A_sawtooth_of_kills_is_compared_over_several_lives_and_each_node_on_its_own()
    {
        // A restart every 4 minutes drops a node to 180 MiB, from which it climbs 25 MiB a minute.
        var sawtooth = Run(1, s => 180 + (long)(s % 240 / 60 * 25));
        var flat = Run(4, _ => 300);

        var growth = SoakMemoryGrowth.Of([.. sawtooth, .. flat]);

        growth.Select(g => g.Node).Should().Equal(1, 4);
        growth.Should().OnlyContain(g => !g.Flagged);
    }

    [Fact]
    public void No_samples_give_no_verdict()
    {
        SoakMemoryGrowth.Of([]).Should().BeEmpty();
    }
}
