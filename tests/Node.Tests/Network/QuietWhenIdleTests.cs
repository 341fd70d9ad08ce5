using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// Quiet when idle (PROTOCOL.md, "Empty blocks and the heartbeat"): with no transaction waiting, no validator starts a height
/// until its heartbeat is due, so an idle network writes nothing; a transaction still commits in one height.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class QuietWhenIdleTests : IAsyncLifetime
{
    /// <summary>Several propose timeouts of the test network (1 s each): an idle proposer's peers would have moved on by then.</summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);
    private const long HeartbeatMs = 2_000;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-quiet-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task With_no_heartbeat_an_idle_network_makes_no_block_and_each_transaction_commits_at_the_next_height()
    {
        var network = _network = await ProcessNetwork.StartAsync(_folder, 4, arguments: _ => ["--set", "Consensus:EmptyBlockIntervalMs=0"]);
        // A node starts its first height at once, so the network makes one block (empty or not) on start.
        await network.WaitForHeightAsync(1, network.Running);
        var first = await network.SubmitAndWaitAsync(0, CertificateTransactions.Issue(network.ChamberKey, "QI-1", 1));
        first.Committed.Should().BeTrue();
        var height = first.Receipt.Height;
        await network.WaitForHeightAsync(height, network.Running);

        await AssertHeightStaysAsync(network, height);

        // Submitted to a node that does not propose the next height first: its peers learn it by gossip and start too.
        var second = await network.SubmitAndWaitAsync(2, CertificateTransactions.Issue(network.ChamberKey, "QI-2", 2));
        second.Committed.Should().BeTrue();
        second.Receipt.Height.Should().Be(height + 1, "no empty block was made while the network was idle");
        var block = await network.Nodes[1].Client.GetBlockAsync(new GetBlockRequest { Height = height + 1 });
        block.Certificate.Round.Should().Be(0u, "every validator started the height on the transaction, so round 0 decided it");
    }

    [Fact]
    public async Task With_a_heartbeat_an_idle_network_makes_one_empty_block_per_interval()
    {
        var network = _network = await ProcessNetwork.StartAsync(_folder, 4, arguments: _ => ["--set", $"Consensus:EmptyBlockIntervalMs={HeartbeatMs}"]);
        await network.WaitForHeightAsync(4, network.Running);

        for (var h = 3UL; h <= 4; h++)
        {
            var previous = await network.Nodes[0].Client.GetBlockAsync(new GetBlockRequest { Height = h - 1 });
            var block = await network.Nodes[0].Client.GetBlockAsync(new GetBlockRequest { Height = h });
            block.Block.Transactions.Should().BeEmpty();
            // Block time is the median of the precommits' clocks, all on this machine: the gap is the heartbeat, less a
            // round's jitter. Without the pause the network makes a block a few hundred milliseconds after the last.
            (block.Block.Header.TimeMs - previous.Block.Header.TimeMs).Should().BeGreaterThan(HeartbeatMs - 500, $"height {h} is a heartbeat after height {h - 1}");
        }
    }

    /// <summary>Polls every node's height for the whole idle window and fails as soon as one moves.</summary>
    private static async Task AssertHeightStaysAsync(ProcessNetwork network, ulong height)
    {
        var until = DateTime.UtcNow + IdleWindow;
        while (DateTime.UtcNow < until)
        {
            foreach (var i in network.Running)
            {
                var status = await network.Nodes[i].Client.GetStatusAsync(new GetStatusRequest());
                status.Height.Should().Be(height, network.Describe($"{network.Nodes[i].Name} made a block with nothing to carry"));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
