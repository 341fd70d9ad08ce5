using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Storage;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// devnet owns its nodes: whatever signal ends it, they end with it and free their ports and data folders; and a node
/// that cannot start makes devnet fail with that node's reason (issue 23).
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class DevnetOwnershipTests : IDisposable
{
    private const int Validators = 2;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    // A node stopping finishes its block in hand and closes its connections within LedgerNode.ShutdownTimeout.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // SIGTERM: devnet stops its nodes, waits for them and exits 0; Ctrl-C ends it at once with 130 (System.CommandLine's
    // handling), SIGKILL with 137, and the nodes stop by themselves when their pipe from devnet closes.
    [Theory]
    [InlineData("TERM", 0)]
    [InlineData("INT", 128 + 2)]
    [InlineData("KILL", 128 + 9)]
    public async Task A_devnet_ended_by_a_signal_to_it_alone_takes_its_nodes_with_it(string signal, int exitCode)
    {
        var basePort = FreePorts.FindRange(Validators);
        await using var devnet = DevnetProcess.Start(_folder.Path, Validators, basePort);
        await devnet.WaitUntilListeningAsync(StartBound);
        var nodes = devnet.NodeIds.Select(Process.GetProcessById).ToArray();
        nodes.Should().HaveCount(Validators, devnet.Log);

        await devnet.SignalAsync(signal);

        (await devnet.WaitForExitAsync(StopBound)).Should().Be(exitCode, devnet.Log);
        using var deadline = new CancellationTokenSource(StopBound);
        foreach (var node in nodes)
        {
            // Not devnet's children any more for this process: Process polls a process it did not start until it is gone.
            await node.WaitForExitAsync(deadline.Token);
        }
        Enumerable.Range(basePort, Validators).Should().OnlyContain(port => IsFree(port), devnet.Log);
    }

    [Fact]
    public async Task A_second_devnet_on_a_folder_in_use_fails_with_the_first_node_s_reason_and_leaves_no_node()
    {
        var basePort = FreePorts.FindRange(Validators);
        await using var first = DevnetProcess.Start(_folder.Path, Validators, basePort);
        await first.WaitUntilListeningAsync(StartBound);

        var second = await CliRun.ExecuteAsync(["devnet", "--dir", _folder.Path, "--validators", $"{Validators}", "--base-port", $"{basePort}"]);

        second.ShouldFailInOneLine(ExitCodes.BadInput, "devnet: node-", "exited with code 2", "is in use by another process", "the other nodes were stopped");
        var secondNodes = second.Output.Split('\n').Where(l => l.Contains("(pid ", StringComparison.Ordinal)).ToArray();
        secondNodes.Should().HaveCount(Validators, second.ToString());
        foreach (var line in secondNodes)
        {
            var pid = int.Parse(line[(line.LastIndexOf("(pid ", StringComparison.Ordinal) + 5)..].TrimEnd(')', '\r'), System.Globalization.CultureInfo.InvariantCulture);
            IsRunning(pid).Should().BeFalse($"node process {pid} of the failed devnet must not outlive it\n{second}");
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
