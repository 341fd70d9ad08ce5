namespace Ledger.Node.Tests.Cli;

/// <summary>What every failure a person can cause must look like: its exit code, and stderr one line naming the facts, no stack trace.</summary>
public static class CliRunAssertions
{
    public static void ShouldFailInOneLine(this CliRun run, int exitCode, params string[] facts)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.ExitCode.Should().Be(exitCode, run.ToString());
        run.ErrorLines.Should().ContainSingle(run.ToString());
        run.Error.Should().NotContain("Exception", run.ToString()).And.NotContain("   at ", run.ToString());
        foreach (var fact in facts)
        {
            run.Error.Should().Contain(fact, run.ToString());
        }
    }
}
