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
            Verification.PageVerdict shown;
            await using (var network = await DemoNetwork.StartAsync(folder, 4, CancellationToken.None, DemoNetwork.StoryVerificationDeadlineMs))
            {
                var story = new CorridorStory(console, network);
                exitCode = await story.RunAsync(CancellationToken.None);
                // The link the demo printed, opened as a visitor would: the browser checks the proof itself.
                story.VerificationLink.Should().NotBeNull(output.ToString());
                await using var browser = await Verification.Chromium.LaunchAsync();
                await using var page = await browser.NewPageAsync();
                await page.GoToAsync(story.VerificationLink);
                shown = await Verification.PageVerdict.WaitAsync(page);
            }

            var text = output.ToString();
            exitCode.Should().Be(0, text);
            text.Should().Contain("refused ISSUER_NOT_ACCREDITED")
                .And.Contain("direct transport verified")
                .And.Contain("proven absent")
                .And.Contain("refused USE_EXCEEDS_BALANCE")
                .And.Contain("refused CERT_NOT_ACTIVE")
                .And.Contain("refused KEY_NOT_VALID_AT_TIME")
                .And.Contain("4 approvals: applied")
                .And.Contain("suspended automatically at height")
                .And.Contain("VERIFICATION_DEADLINE_PASSED")
                .And.Contain("reinstated by CCPIT's late confirmation")
                .And.Contain("every receipt and state root re-computed and equal")
                .And.Contain("anyone can check it in a browser")
                .And.NotContain("✗");
            // Used against two declarations, the last of them for the whole balance left: proven, and no longer in force.
            shown.Verdict.Should().Be("not-valid", shown.Text + shown.Details);
            shown.Status.Should().Be("FULLY_USED");
            shown.Details.Should().Contain("CIM-SMGS-2026-88213: direct transport verified");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
