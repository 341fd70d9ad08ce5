using Grpc.Core;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.StateTree;
using Ledger.Node.Devnet;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class ShutdownTests : IAsyncLifetime
{
    /// <summary>The event in hand (a block at most), then at most LedgerNode.ShutdownTimeout for open calls, on a loaded machine.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);
    private const int Submitters = 8;
    private const int CommittedBeforeStop = 24;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-shutdown-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;

    public async Task InitializeAsync() => _network = await ProcessNetwork.StartAsync(_folder, 1);

    public async Task DisposeAsync()
    {
        await _network!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SIGTERM_under_load_exits_0_with_a_consistent_data_folder_and_the_node_restarts_at_the_same_head()
    {
        var network = _network!;
        var node = network.Nodes[0];
        await network.WaitForHeightAsync(1, [0]);
        var committed = new System.Collections.Concurrent.ConcurrentBag<(Hash32 Id, ulong Height)>();
        var refusals = new System.Collections.Concurrent.ConcurrentBag<StatusCode>();
        var nonce = 0L;
        var submitters = Enumerable.Range(0, Submitters).Select(s => Task.Run(async () =>
        {
            while (true)
            {
                var n = (ulong)Interlocked.Increment(ref nonce);
                var tx = CertificateTransactions.Issue(network.ChamberKey, $"SD-{n}", n);
                try
                {
                    var response = await node.Client.SubmitAsync(new SubmitRequest { Transaction = tx, WaitForCommit = true, WaitTimeoutMs = 10_000 });
                    if (response.Committed)
                    {
                        committed.Add((CertificateTransactions.Id(tx), response.Receipt.Height));
                    }
                }
                catch (RpcException e)
                {
                    refusals.Add(e.StatusCode);
                    return;
                }
            }
        })).ToArray();
        await network.WaitUntilAsync($"{CommittedBeforeStop} transactions committed under load", () => Task.FromResult(committed.Count >= CommittedBeforeStop));

        var exitCode = await node.TerminateAsync(ExitBound);
        await Task.WhenAll(submitters);

        exitCode.Should().Be(0, network.Describe("a node stopped by SIGTERM exits 0"));
        refusals.Should().OnlyContain(c => c == StatusCode.Unavailable, "a stopping or stopped node answers Unavailable, nothing else");
        // Before anything opens the folder again (opening replays the log): a clean stop folded the log into the data file.
        var log = new FileInfo(Path.Combine(NetworkLayout.NodeFolder(_folder, 0), "data", "ledger-log.db"));
        (log.Exists ? log.Length : 0).Should().Be(0, "a clean stop checkpoints LiteDB's log into ledger.db (OPERATIONS.md)");
        var (head, headHash) = ReadStoreOffline();
        committed.Should().OnlyContain(c => c.Height <= head, "every commit a client was told of is in the data folder");

        node.Start();
        var status = (await network.WaitForHeightAsync(head, [0]))[0];
        status.Height.Should().BeGreaterThanOrEqualTo(head);
        var stored = await node.Client.GetBlockAsync(new GetBlockRequest { Height = head });
        BlockHashing.HeaderHash(stored.Block.Header).Should().Be(headHash, "the restarted node's block at the old head is the one it stopped with");
        foreach (var (id, height) in committed)
        {
            var info = await node.Client.GetTransactionAsync(new GetTransactionRequest { TxId = Google.Protobuf.ByteString.CopyFrom(id.Span) });
            info.Receipt.Height.Should().Be(height);
        }
    }

    /// <summary>Opens the stopped node's data folder as the node does and checks every block is there, chained, with its certificate.</summary>
    private (ulong Head, Hash32 HeadHash) ReadStoreOffline()
    {
        var (config, organisations) = GenesisLoader.Load(GenesisLoader.Parse(File.ReadAllText(Path.Combine(_folder, NetworkLayout.GenesisFile))));
        var genesisTree = LedgerStateMachine.Genesis(GenesisState.Entries(config, organisations), new InMemoryTreeNodeStore());
        using var database = new NodeDatabase(Path.Combine(NetworkLayout.NodeFolder(_folder, 0), "data"));
        var store = new BlockStore(database, new ChainIdentity(config.ChainId, genesisTree.Root));
        var previous = default(Hash32);
        for (var height = 1UL; height <= store.Head.Height; height++)
        {
            var block = store.GetBlock(height);
            block.Should().NotBeNull($"block {height} is below the head {store.Head.Height}");
            if (height > 1)
            {
                new Hash32(block!.Header.PreviousBlockHash.Span).Should().Be(previous, $"block {height} follows block {height - 1}");
            }
            previous = BlockHashing.HeaderHash(block!.Header);
            store.GetCommit(height).Should().NotBeNull($"block {height} has its commit certificate");
        }
        store.Head.BlockHash.Should().Be(previous);
        return (store.Head.Height, previous);
    }
}
