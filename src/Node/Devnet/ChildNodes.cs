using System.Diagnostics;
using Ledger.Node.Cli;

namespace Ledger.Node.Devnet;

/// <summary>
/// Node processes started from this executable, each `ledger node --config FILE --exit-with-parent`, their output
/// prefixed with the node's name. They hold a pipe to this process on their standard input and stop when it closes:
/// whatever ends this process (Ctrl-C, SIGTERM, SIGKILL, a crash), the kernel closes the pipe and the nodes stop
/// instead of living on under PID 1 with their ports and data folders. Disposing kills them all.
/// </summary>
public sealed class ChildNodes : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Dictionary<int, string> _lastErrors = [];
    private readonly bool _sharesCores;

    /// <param name="nodes">How many nodes this will run at once: enough to keep every core busy changes their GC (<see cref="NodeProcessEnvironment"/>).</param>
    public ChildNodes(int nodes)
    {
        _sharesCores = NodeProcessEnvironment.SharesCores(nodes);
        // A parent stopped by a signal may exit before it disposes this (System.CommandLine waits 2 s for the command after
        // SIGTERM): the nodes must not outlive it, and they stop cleanly once their pipe closes, which SIGKILL would cut short.
        AppDomain.CurrentDomain.ProcessExit += StopAllOnExit;
    }

    public IReadOnlyList<Process> Processes => _processes;

    /// <summary>How to start the ledger executable again: its app host when that is what runs, else `dotnet ledger.dll`
    /// (under `dotnet ledger.dll`, or inside a test host).</summary>
    public static (string FileName, string[] Prefix) Self()
    {
        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("ledger", StringComparison.Ordinal))
        {
            return (processPath, []);
        }
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.Ordinal) ? processPath
            : "dotnet";
        return (dotnet, [typeof(ChildNodes).Assembly.Location]);
    }

    public Process Start(string name, string configPath, TextWriter output)
    {
        var process = Launch(name, configPath, output);
        _processes.Add(process);
        return process;
    }

    /// <summary>SIGKILLs the node at <paramref name="index"/> (in start order): no shutdown, as in a crash or a power cut.</summary>
    public void Kill(int index)
    {
        if (!_processes[index].HasExited)
        {
            _processes[index].Kill(entireProcessTree: true);
        }
    }

    /// <summary>Starts the node at <paramref name="index"/> again, in its slot, once its previous process (killed) is gone.</summary>
    public async Task<Process> RestartAsync(int index, string name, string configPath, TextWriter output, CancellationToken ct)
    {
        var previous = _processes[index];
        await previous.WaitForExitAsync(ct);
        previous.Dispose();
        _processes[index] = Launch(name, configPath, output);
        return _processes[index];
    }

    /// <summary>The last line the node at <paramref name="index"/> wrote on stderr: a node that fails to start writes one, its reason.</summary>
    public string? LastError(int index)
    {
        lock (_lastErrors)
        {
            return _lastErrors.GetValueOrDefault(_processes[index].Id);
        }
    }

    /// <summary>The first node to exit, in start order among those that have; waits for one.</summary>
    public async Task<int> WhenFirstExitsAsync(CancellationToken ct)
    {
        var exited = await Task.WhenAny(_processes.Select(p => p.WaitForExitAsync(ct)));
        await exited;
        return _processes.FindIndex(p => p.HasExited);
    }

    /// <summary>
    /// Stops every node as SIGTERM would (closing its standard input), waits for them within <paramref name="bound"/>,
    /// and kills what is left: a node stopped so closes its database and frees its port.
    /// </summary>
    public async Task StopAsync(TimeSpan bound)
    {
        CloseInputs();
        using var deadline = new CancellationTokenSource(bound);
        await Task.WhenAll(_processes.Select(p => p.WaitForExitAsync(deadline.Token))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        KillAll();
    }

    private void StopAllOnExit(object? sender, EventArgs e) => CloseInputs();

    private void CloseInputs()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The node is gone already: its end of the pipe is closed.
            }
        }
    }

    private void KillAll()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private Process Launch(string name, string configPath, TextWriter output)
    {
        var (fileName, prefix) = Self();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The parent-death watch: the node reads this pipe and stops at its end (NodeCommands.ExitWithParent).
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in prefix.Concat(["node", "--config", configPath, NodeCommands.ExitWithParentName]))
        {
            info.ArgumentList.Add(arg);
        }
        NodeProcessEnvironment.Apply(info.Environment, _sharesCores);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        process.OutputDataReceived += (_, e) => Write(output, name, e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            Write(output, name, e.Data);
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (_lastErrors)
                {
                    _lastErrors[process.Id] = e.Data;
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(TextWriter output, string name, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.WriteLine($"[{name}] {line}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAllOnExit;
        KillAll();
        foreach (var process in _processes)
        {
            await process.WaitForExitAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            process.Dispose();
        }
        _processes.Clear();
    }
}
