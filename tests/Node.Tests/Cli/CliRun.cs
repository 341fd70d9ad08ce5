using System.CommandLine;
using System.Diagnostics;
using Ledger.Node.Cli;
using Ledger.Node.Tests.Network;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// One run of the `ledger` command line, with its output and errors captured: in process
/// (<see cref="InvokeAsync"/>), or as the real executable (<see cref="ExecuteAsync"/>) where what is under test
/// is what a person sees: the exit code and stderr, with no test host between.
/// </summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    private static readonly TimeSpan ExecuteTimeout = TimeSpan.FromSeconds(90);

    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        var root = new RootCommand("ledger (test)") { KeyCommands.Keys(), CertCommands.Cert(), RouteCommands.Route(), AuditCommand.Audit() };
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await CliInvocation.InvokeAsync(root, args, new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// `dotnet ledger.dll ARGS` to its end. The test process's LEDGER_ variables are not passed on, so that what the
    /// command sees is what the test gives in <paramref name="environment"/>.
    /// </summary>
    public static async Task<CliRun> ExecuteAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in args.Prepend(NodeProcess.LedgerDll))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LEDGER_", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            info.Environment.Remove(name);
        }
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ledger did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ExecuteTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ledger {string.Join(' ', args)} did not end within {ExecuteTimeout.TotalSeconds:F0} s");
        }
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>Stderr's lines, blank ones left out: a failure a person can cause prints exactly one.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
