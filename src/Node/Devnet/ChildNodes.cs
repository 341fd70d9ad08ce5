using System.Diagnostics;

namespace Ledger.Node.Devnet;

/// <summary>
/// Node processes started from this executable, each `ledger node --config FILE`, their output prefixed
/// with the node's name. Disposing kills them all.
/// </summary>
public sealed class ChildNodes : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly bool _sharesCores;

    /// <param name="nodes">How many nodes this will run at once: enough to keep every core busy changes their GC (<see cref="NodeProcessEnvironment"/>).</param>
    public ChildNodes(int nodes)
    {
        _sharesCores = NodeProcessEnvironment.SharesCores(nodes);
        // A parent stopped by a signal may exit before it disposes this: the nodes must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += KillAllOnExit;
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

    private void KillAllOnExit(object? sender, EventArgs e) => KillAll();

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
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in prefix.Concat(["node", "--config", configPath]))
        {
            info.ArgumentList.Add(arg);
        }
        NodeProcessEnvironment.Apply(info.Environment, _sharesCores);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        process.OutputDataReceived += (_, e) => Write(output, name, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, name, e.Data);
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
        AppDomain.CurrentDomain.ProcessExit -= KillAllOnExit;
        KillAll();
        foreach (var process in _processes)
        {
            await process.WaitForExitAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            process.Dispose();
        }
        _processes.Clear();
    }
}
