using Ledger.Node.Demo;
using Spectre.Console;

namespace Ledger.Node.Tests.Demo;

public sealed class CorridorStoryTests
{
    [Fact]
    public void The_demo_story_plays_as_told_and_says_so()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        var exitCode = new CorridorStory(console).Run();

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        text.Should().Contain("refused ISSUER_NOT_ACCREDITED")
            .And.Contain("route verdict: DirectTransportVerified")
            .And.Contain("refused USE_EXCEEDS_BALANCE")
            .And.Contain("refused CERT_NOT_ACTIVE")
            .And.Contain("every state root matches")
            .And.NotContain("✗");
    }
}
