using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Ledger.Node.Tests.Network;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// `ledger devnet` as the real executable, its output kept: the nodes' process ids it prints, and a wait for every node
/// to say it listens. For tests of what happens to the nodes when devnet goes.
/// </summary>
public sealed partial class DevnetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _allListening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _validators;

    private DevnetProcess(Process process, int validators)
    {
        _process = process;
        _validators = validators;
    }

    public int Id => _process.Id;

    /// <summary>The process ids devnet printed for its nodes, in node order.</summary>
    public IReadOnlyList<int> NodeIds => [.. _lines.Select(l => PidLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    public string Log => string.Join('\n', _lines);

    public static DevnetProcess Start(string folder, int validators, int basePort)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { NodeProcess.LedgerDll, "devnet", "--dir", folder, "--validators", $"{validators}", "--base-port", $"{basePort}" })
        {
            info.ArgumentList.Add(argument);
        }
        var devnet = new DevnetProcess(Process.Start(info)!, validators);
        devnet._process.OutputDataReceived += (_, e) => devnet.Keep(e.Data);
        devnet._process.ErrorDataReceived += (_, e) => devnet.Keep(e.Data);
        devnet._process.BeginOutputReadLine();
        devnet._process.BeginErrorReadLine();
        return devnet;
    }

    /// <summary>Waits until every node has logged that it listens.</summary>
    public async Task WaitUntilListeningAsync(TimeSpan bound)
    {
        try
        {
            await _allListening.Task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the devnet's nodes did not all listen within {bound.TotalSeconds:F0} s\n{Log}");
        }
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{_process.Id}"])!;
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
        if (_lines.Count(l => l.Contains("listening on", StringComparison.Ordinal)) >= _validators)
        {
            _allListening.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^  node-\d+: \S+(?: .*)? \(pid (\d+)\)$")]
    private static partial Regex PidLine();
}
