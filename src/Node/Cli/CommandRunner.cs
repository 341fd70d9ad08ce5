using System.CommandLine;

namespace Ledger.Node.Cli;

/// <summary>
/// Runs a client command with its output set up for people or, with --json, for scripts. What can go wrong ends
/// in <see cref="CliInvocation"/>'s error boundary: a refusal prints its rule code (1), bad input names the file or
/// option (2), unreachable or lying nodes (3).
/// </summary>
public static class CommandRunner
{
    public static void SetAction(Command command, Func<ParseResult, bool> json, Func<ParseResult, CliOutput, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => body(parse, CliOutput.For(parse, json(parse)), ct));
}
