using System.CommandLine;
using System.CommandLine.Invocation;

namespace Ledger.Node.Cli;

/// <summary>
/// Parses and runs a command line: the one error boundary of every command. A command line that does not parse
/// (unknown option, missing required option, a value of the wrong type, a misspelt command) exits with
/// <see cref="ExitCodes.BadInput"/> in one line, with "did you mean" when a known name is close; whatever a
/// command throws ends in one line and its exit code (<see cref="ErrorBoundary"/>), its stack trace only with --verbose.
/// </summary>
public static class CliInvocation
{
    public const string VerboseName = "--verbose";

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        configuration ??= new InvocationConfiguration();
        // Failures are reported here, in one line, not by System.CommandLine's handler, which prints the stack trace.
        configuration.EnableDefaultExceptionHandler = false;
        var verbose = root.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == VerboseName);
        if (verbose is null)
        {
            verbose = new Option<bool>(VerboseName) { Description = "Print the stack trace of a failure", Recursive = true };
            root.Options.Add(verbose);
        }
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var line = ParseErrorLine(parse, root);
            await configuration.Error.WriteLineAsync(line);
            ErrorBoundary.Write(OutputOf(parse, configuration), CliFailure.BadInput("BAD_COMMAND_LINE", line));
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(configuration, ct);
        }
        catch (Exception e)
        {
            return ErrorBoundary.Report(e, OutputOf(parse, configuration), parse.GetValue(verbose));
        }
    }

    // Every error of the line in one sentence; an unknown word gets the closest name the command knows.
    private static string ParseErrorLine(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        var known = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name))
            .Concat(command.Options.Concat(root.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Prepend(o.Name)))
            .ToArray();
        var unmatched = parse.UnmatchedTokens;
        var messages = parse.Errors.Select(e => e.Message)
            // "Required command was not provided" when a misspelt command is the word given: the misspelling is the news.
            .Where(m => unmatched.Count == 0 || !m.StartsWith("Required command", StringComparison.Ordinal))
            .Select(m => unmatched.FirstOrDefault(t => m.Contains($"'{t}'", StringComparison.Ordinal)) is { } token
                ? m.TrimEnd('.') + Spelling.Hint(token, known) + "."
                : m)
            .Distinct();
        var path = command == root ? "ledger" : string.Join(' ', AncestorsOf(command, root));
        return $"{string.Join(" ", messages)} See '{path} --help'.";
    }

    private static CliOutput OutputOf(ParseResult parse, InvocationConfiguration configuration)
    {
        var json = parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json");
        return new CliOutput(configuration.Output, configuration.Error, json is not null && parse.GetValue(json));
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
