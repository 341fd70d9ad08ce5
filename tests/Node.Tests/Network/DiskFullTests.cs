using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// A full disk (OPERATIONS.md, "A full disk"), for real: the node runs in a mount namespace of its own (unshare, no root
/// needed where user namespaces are allowed) whose data folder is a small tmpfs, most of it taken by a ballast file. The
/// node fills the rest with blocks, then must say so in one crit line, report NOT_SERVING, refuse submissions and keep
/// answering reads; once the test deletes the ballast it must resume and commit again.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class DiskFullTests : IAsyncLifetime
{
    private const int TmpfsMiB = 24;
    /// <summary>What the ballast leaves: the genesis database and a few MiB of log, filled by heartbeat blocks in seconds.</summary>
    private const int FreeAtStartMiB = 3;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-diskfull-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;
    private NodeProcess? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_full_disk_turns_health_to_not_serving_with_a_crit_line_refuses_submissions_serves_reads_and_resumes_when_space_returns()
    {
        // The network's one validator is started here, inside its own mount namespace.
        var network = _network = await ProcessNetwork.StartAsync(_folder, 1, starts: _ => false);
        var data = Path.Combine(NetworkLayout.NodeFolder(_folder, 0), "data");
        Directory.CreateDirectory(data);
        var ballastBytes = (long)(TmpfsMiB - FreeAtStartMiB) * 1024 * 1024;
        string[] launcher = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
            $"mount -t tmpfs -o size={TmpfsMiB}m tmpfs \"$0\" && head -c {ballastBytes} /dev/zero > \"$0/ballast\" && exec \"$@\"", data];
        var node = _node = new NodeProcess("node-1", network.Nodes[0].ConfigPath, network.Nodes[0].Endpoint, await ProcessNetwork.ReaderAsync(_folder), launcher: launcher);
        using var channel = GrpcChannel.ForAddress(node.Endpoint);
        var health = new Health.HealthClient(channel);
        node.Start();

        await network.WaitUntilAsync("the node reports NOT_SERVING once its disk is full", async () =>
            node.IsRunning && (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.NotServing);
        node.IsRunning.Should().BeTrue("a full disk does not end the process");
        var crit = node.LinesSinceStart().Where(l => l.Contains("crit:", StringComparison.Ordinal)).ToArray();
        crit.Should().ContainSingle(node.LogTail()).Which.Should().Contain("Disk full").And.Contain("No space left on device");
        node.LinesSinceStart().Should().NotContain(l => l.StartsWith("   at ", StringComparison.Ordinal), "no stack trace");
        var stuck = (await node.Client.GetStatusAsync(new GetStatusRequest())).Height;
        stuck.Should().BePositive("reads are still answered, from what was committed");
        (await node.Client.GetBlockAsync(new GetBlockRequest { Height = stuck })).Block.Header.Height.Should().Be(stuck);
        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Client.SubmitAsync(
            new SubmitRequest { Transaction = CertificateTransactions.Issue(network.ChamberKey, "DF-1", 1) }).ResponseAsync);
        refused.StatusCode.Should().Be(StatusCode.Unavailable);

        // Space comes back: the ballast is deleted through the node's own view of its mount namespace.
        File.Delete($"/proc/{node.ProcessId}/root{data}/ballast");

        await network.WaitUntilAsync($"the node commits past height {stuck} and serves again", async () =>
            (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving
            && (await node.Client.GetStatusAsync(new GetStatusRequest())).Height > stuck);
        var committed = await node.Client.SubmitAsync(new SubmitRequest
        {
            Transaction = CertificateTransactions.Issue(network.ChamberKey, "DF-2", 2),
            WaitForCommit = true,
            WaitTimeoutMs = 30_000,
        });
        committed.Committed.Should().BeTrue(node.LogTail());
        node.LinesSinceStart().Should().Contain(l => l.Contains("Disk space is back", StringComparison.Ordinal));
        LedgerNode.DiskFullResumeFreeBytes.Should().BeLessThan(ballastBytes, "deleting the ballast frees enough to resume");
    }
}
