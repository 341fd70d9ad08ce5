using Ledger.Node.Bench;

namespace Ledger.Node.Tests.Bench;

public sealed class ScaleStepTests
{
    [Theory]
    [InlineData(99, 0, 0, false)]   // short of the first boundary
    [InlineData(100, 0, 0, true)]   // at it
    [InlineData(250, 0, 0, true)]   // one block past two boundaries: one step takes them all
    [InlineData(250, 1, 250, false)] // the next block adds nothing: no empty step
    [InlineData(260, 1, 250, true)]  // it adds some, past the second boundary: the step closes
    [InlineData(290, 2, 260, false)] // short of the third boundary
    public void A_step_closes_at_its_boundary_and_never_empty(long committed, int stepsClosed, long stepStart, bool closes)
    {
        ScaleBench.ClosesStep(committed, stepsClosed, step: 100, stepStart).Should().Be(closes);
    }
}
