using System.CommandLine;
using Ledger.Node.Demo;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>`ledger demo`: a fresh local network, the corridor story through the client library, then an audit.</summary>
public static class DemoCommand
{
    public static Command Demo()
    {
        var validators = new Option<int>("--validators") { Description = "Validator processes", DefaultValueFactory = _ => 4 };
        var keep = new Option<bool>("--keep") { Description = "Keep the network's folder (data, keys, logs) afterwards" };
        var serve = new Option<bool>("--serve") { Description = "Keep the network running after the story, until Ctrl-C, so that the verification link it prints can be opened" };
        var command = new Command("demo", "Start a local network and play the corridor story end to end: issue, declare, checkpoints, verify with proof, use, a refused revocation, a suspension by verification deadline, and an audit")
        {
            validators, keep, serve,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = Path.Combine(Path.GetTempPath(), $"ledger-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
            AnsiConsole.MarkupLine($"[grey]Starting {parse.GetValue(validators)} validator processes...[/]");
            try
            {
                await using var network = await DemoNetwork.StartAsync(folder, parse.GetValue(validators), ct, DemoNetwork.StoryVerificationDeadlineMs);
                var exitCode = await new CorridorStory(AnsiConsole.Console, network).RunAsync(ct);
                if (parse.GetValue(serve))
                {
                    AnsiConsole.MarkupLine($"[grey]The network keeps running; verification page on {Markup.Escape(network.VerificationPageUrl)}. Ctrl-C stops it.[/]");
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                return exitCode;
            }
            finally
            {
                if (!parse.GetValue(keep))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        });
        return command;
    }
}
