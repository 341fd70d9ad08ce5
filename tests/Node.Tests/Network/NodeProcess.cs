using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// One real node: `dotnet ledger.dll node --config FILE` as a child process, its output kept (the last
/// lines, for failure messages), and a gRPC client of its public service. It can be killed with SIGKILL
/// and started again on the same config and data folder. <see cref="Client"/> signs its calls as a member
/// (full content needs it); <see cref="PublicClient"/> calls with no identity.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int LogLinesMax = 400;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly GrpcChannel _channel;
    private readonly StreamWriter _file;
    private bool _closed;
    private Process? _process;
    private int _starts;

    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyList<string> _launcher;

    /// <param name="caPemFile">The CA of the nodes' TLS certificates, for an https endpoint.</param>
    /// <param name="arguments">More arguments of `ledger node`, such as `--set Key=value`.</param>
    /// <param name="launcher">A command that runs the node's command line given after it (`unshare … sh -c '…; exec "$@"'`).</param>
    public NodeProcess(string name, string configPath, string endpoint, CallSigner reader, string? caPemFile = null, IReadOnlyList<string>? arguments = null,
        IReadOnlyList<string>? launcher = null)
    {
        _arguments = arguments ?? [];
        _launcher = launcher ?? [];
        Name = name;
        ConfigPath = configPath;
        Endpoint = endpoint;
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = TlsTrust.Handler(caPemFile), DisposeHttpClient = true });
        Client = new Wire.Ledger.LedgerClient(_channel.Intercept(new CallSigningInterceptor(reader)));
        PublicClient = new Wire.Ledger.LedgerClient(_channel);
        // The whole output, every start, beside the config: kept when LEDGER_NETTEST_KEEP is set.
        _file = new StreamWriter(Path.Combine(Path.GetDirectoryName(configPath)!, "node.log"), append: true) { AutoFlush = true };
    }

    public string Name { get; }

    public string ConfigPath { get; }

    public string Endpoint { get; }

    public Wire.Ledger.LedgerClient Client { get; }

    public Wire.Ledger.LedgerClient PublicClient { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running node's process id (its /proc entry shows its mount namespace).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{Name} was never started");

    /// <summary>The node executable: the test output folder holds it, as Node.Tests references src/Node.</summary>
    public static string LedgerDll => typeof(LedgerNode).Assembly.Location;

    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is running already");
        }
        _process?.Dispose();
        // The dotnet host that runs the tests, when the SDK says which; else the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(_launcher.Count > 0 ? _launcher[0] : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] command = _launcher.Count > 0 ? [.. _launcher.Skip(1), dotnet] : [];
        foreach (var argument in command.Concat([LedgerDll, "node", "--config", ConfigPath]).Concat(_arguments))
        {
            info.ArgumentList.Add(argument);
        }
        // Four nodes and the test runner share two cores here: one GC heap per process, not one per core.
        info.Environment["DOTNET_gcServer"] = "0";
        _starts++;
        Keep($"---- test: start #{_starts} of {Name} ----");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: no shutdown path runs, as in a crash or a pulled plug of the process.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Keep($"---- test: killed {Name} ----");
    }

    /// <summary>SIGTERM, as a service manager stops a node: waits for the exit within <paramref name="bound"/> and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan bound)
    {
        var process = _process is { HasExited: false } p ? p : throw new InvalidOperationException($"{Name} is not running");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {bound.TotalSeconds:F0} s of SIGTERM\n{LogTail()}");
        }
        Keep($"---- test: {Name} exited with {process.ExitCode} after SIGTERM ----");
        return process.ExitCode;
    }

    /// <summary>Waits for the node to end by itself within <paramref name="bound"/> (a node that refuses to start); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started");
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            // Also waits for the end of its output, so every line it wrote is kept.
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {bound.TotalSeconds:F0} s\n{LogTail()}");
        }
        return process.ExitCode;
    }

    /// <summary>The lines the node wrote since it was last started.</summary>
    public IReadOnlyList<string> LinesSinceStart()
    {
        var marker = $"---- test: start #{_starts} of {Name} ----";
        return _log.ToArray().SkipWhile(l => l != marker).Skip(1).ToArray();
    }

    /// <summary>The node's status, or null if it does not answer (down, starting, busy past the call timeout).</summary>
    public async Task<NodeStatus?> TryStatusAsync()
    {
        if (!IsRunning)
        {
            return null;
        }
        try
        {
            return await Client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.Add(CallTimeout));
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>The last lines the node wrote, for a failure message.</summary>
    public string LogTail(int lines = 25)
    {
        var all = _log.ToArray();
        var tail = all.Skip(Math.Max(0, all.Length - lines));
        var exit = _process is { HasExited: true } p ? $" (exited with {p.ExitCode})" : IsRunning ? " (running)" : "";
        return $"==== {Name}{exit}, last {Math.Min(lines, all.Length)} log lines ====\n{string.Join('\n', tail)}";
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_file)
        {
            // Output read asynchronously may still arrive after dispose.
            if (!_closed)
            {
                _file.WriteLine(line);
            }
        }
        _log.Enqueue(line);
        while (_log.Count > LogLinesMax && _log.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
        _process?.Dispose();
        _channel.Dispose();
        lock (_file)
        {
            _closed = true;
            _file.Dispose();
        }
    }
}
