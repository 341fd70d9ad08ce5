using System.CommandLine;
using System.CommandLine.Invocation;

namespace Ledger.Node.Cli;

/// <summary>
/// Parses and runs a command line. A command line that does not parse (unknown option, missing required
/// option, a value of the wrong type) exits with <see cref="ExitCodes.BadInput"/>, like a malformed file.
/// </summary>
public static class CliInvocation
{
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        configuration ??= new InvocationConfiguration();
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync(error.Message);
            }
            var path = string.Join(' ', parse.CommandResult.Command.Name == root.Name
                ? [root.Name]
                : AncestorsOf(parse.CommandResult.Command, root));
            await configuration.Error.WriteLineAsync($"See '{path} --help'.");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(configuration, ct);
    }

    private static IEnumerable<string> AncestorsOf(Command command, RootCommand root)
    {
        var names = new Stack<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault())
        {
            names.Push(s == root ? "ledger" : s.Name);
        }
        return names;
    }
}
