using Ledger.Node.Bench;

namespace Ledger.Node.Tests.Bench;

public sealed class WarmRateTests
{
    [Theory]
    [InlineData(new double[] { 3, 1, 2 }, 2)]
    [InlineData(new double[] { 18_000, 9_000, 17_500, 18_300, 17_900 }, 17_900)] // one window slowed by other work does not move it
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]                             // an even count: the mean of the two middle ones
    [InlineData(new double[] { 7 }, 7)]
    [InlineData(new double[] { }, 0)]
    public void The_median_is_the_middle_window_or_the_mean_of_the_two_middle_ones(double[] windows, double median)
    {
        WarmRate.MedianOf(windows).Should().Be(median);
    }

    [Fact]
    public void The_first_second_is_not_one_of_the_windows_the_median_is_taken_from()
    {
        new WarmRate(FirstSecondPerSecond: 11_000, WarmWindowsPerSecond: [18_000, 18_200, 17_800]).MedianPerSecond.Should().Be(18_000);
    }
}
