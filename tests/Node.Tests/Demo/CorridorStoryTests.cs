using Ledger.Node.Demo;
using Spectre.Console;

namespace Ledger.Node.Tests.Demo;

[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class CorridorStoryTests
{
    [Fact]
    public async Task The_demo_story_plays_as_told_on_a_network_of_four_processes()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-demo-test-{Guid.NewGuid():N}");
        try
        {
            int exitCode;
            await using (var network = await DemoNetwork.StartAsync(folder, 4, CancellationToken.None))
            {
                exitCode = await new CorridorStory(console, network).RunAsync(CancellationToken.None);
            }

            var text = output.ToString();
            exitCode.Should().Be(0, text);
            text.Should().Contain("refused ISSUER_NOT_ACCREDITED")
                .And.Contain("direct transport verified")
                .And.Contain("proven absent")
                .And.Contain("refused USE_EXCEEDS_BALANCE")
                .And.Contain("refused CERT_NOT_ACTIVE")
                .And.Contain("every receipt and state root re-computed and equal")
                .And.NotContain("✗");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
