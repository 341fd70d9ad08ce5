using System.CommandLine;
using Ledger.Node.Cli;

namespace Ledger.Node.Tests.Cli;

/// <summary>One in-process run of the `ledger` command line, with its output and errors captured.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        var root = new RootCommand("ledger (test)") { KeyCommands.Keys(), CertCommands.Cert(), RouteCommands.Route(), AuditCommand.Audit() };
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await CliInvocation.InvokeAsync(root, args, new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
