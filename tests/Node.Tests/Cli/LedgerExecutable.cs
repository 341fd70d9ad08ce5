using System.Diagnostics;
using Ledger.Node.Tests.Network;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// The real `ledger` executable (`dotnet ledger.dll ...`) as a person or a service manager runs it: its own
/// process and environment, standard input not a terminal. Variables of the test host that would choose a
/// passphrase or a node are removed, so that each test says what it gives.
/// </summary>
public static class LedgerExecutable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Runs a command to its end and returns its exit code and output.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(args, environment)) ?? throw new InvalidOperationException("ledger did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ledger {string.Join(' ', args)} did not end within {RunTimeout.TotalSeconds:F0} s");
        }
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>Starts a long-running command (a node); the caller reads its output and kills it.</summary>
    public static Process Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Process.Start(StartInfo(args, environment)) ?? throw new InvalidOperationException("ledger did not start");
        process.StandardInput.Close();
        return process;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(NodeProcess.LedgerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LEDGER_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return info;
    }
}
