using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// A network written by `ledger init` into a folder, with free loopback ports and short consensus
/// timeouts, and one <see cref="NodeProcess"/> per validator. Waiting is always for a condition, polled
/// until a deadline; a missed deadline fails with what was awaited and the tail of every node's log.
/// </summary>
public sealed class ProcessNetwork : IAsyncDisposable
{
    public const string ChainId = "nettest";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Short enough that a round with a dead proposer costs about a second; long enough that a loaded
    /// 2-core machine commits in round 0 most of the time.
    /// </summary>
    public static readonly ConsensusTimeouts Timeouts = new(
        ProposeBaseMs: 1_000, ProposeDeltaMs: 250,
        PrevoteBaseMs: 400, PrevoteDeltaMs: 200,
        PrecommitBaseMs: 400, PrecommitDeltaMs: 200,
        RebroadcastMs: 500, EmptyBlockIntervalMs: 500);

    private readonly List<NodeProcess> _nodes;
    private readonly string[] _endpoints;

    private ProcessNetwork(string root, List<NodeProcess> nodes, KeyPair chamberKey, string[] endpoints)
    {
        Root = root;
        _nodes = nodes;
        ChamberKey = chamberKey;
        _endpoints = endpoints;
    }

    public string Root { get; }

    public IReadOnlyList<NodeProcess> Nodes => _nodes;

    /// <summary>The member key of cn-ccpit, the Chinese chamber that issues certificates (SM2).</summary>
    public KeyPair ChamberKey { get; }

    /// <param name="tls">Each validator's TLS section, by index; then every endpoint is https and trusts <paramref name="caPemFile"/>.</param>
    /// <param name="arguments">More arguments of `ledger node` for the validator of each index.</param>
    /// <param name="starts">Which validators start as ledger nodes (all by default): another may be played by the test.</param>
    /// <param name="spares">Roster positions after the genesis's that governance may fill: each validator lists them as peers
    /// from the start, as operators add a joining validator's address before it joins (<see cref="AddNodeAsync"/>).</param>
    public static async Task<ProcessNetwork> StartAsync(string root, int validators, Func<int, TlsConfig>? tls = null, string? caPemFile = null,
        Func<int, IReadOnlyList<string>>? arguments = null, Func<int, bool>? starts = null, int spares = 0)
    {
        // The layout's consecutive ports are replaced below by ports the system just had free.
        await NetworkLayout.WriteAsync(root, validators, basePort: 1, ChainId, CancellationToken.None);
        var scheme = tls is null ? "http" : "https";
        var firstPort = FreePorts.FindRange(validators + spares);
        var endpoints = Enumerable.Range(firstPort, validators + spares).Select(p => $"{scheme}://127.0.0.1:{p}").ToArray();
        var nodes = new List<NodeProcess>();
        for (var i = 0; i < validators; i++)
        {
            var path = NetworkLayout.NodeConfigPath(root, i);
            var config = NodeConfig.Load(path) with
            {
                Listen = endpoints[i],
                Peers = Enumerable.Range(0, validators + spares).Where(p => p != i).Select(p => new PeerConfig(p, endpoints[p])).ToArray(),
                Consensus = Timeouts,
                Tls = tls?.Invoke(i),
                // The layout's page ports follow its placeholder base port; these tests have no use for the page.
                VerificationPage = null,
            };
            await File.WriteAllTextAsync(path, config.ToJson());
            nodes.Add(new NodeProcess($"node-{i + 1}", path, endpoints[i], await ReaderAsync(root), caPemFile, arguments?.Invoke(i)));
        }
        var chamber = await KeyFile.LoadAsync(NetworkLayout.MemberKeyPath(root, CorridorGenesis.CnChamber));
        var network = new ProcessNetwork(root, nodes, chamber.Pair, endpoints);
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
        {
            if (starts?.Invoke(i) ?? true)
            {
                node.Start();
            }
        }
        return network;
    }

    /// <summary>
    /// A node at a spare position, started with a config like the first node's, its own data folder and the given key:
    /// a validator that governance is adding, which follows as a replica until it is one.
    /// </summary>
    public async Task<NodeProcess> AddNodeAsync(int index, string validatorKeyFile)
    {
        var path = NetworkLayout.NodeConfigPath(Root, index);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var template = NodeConfig.Load(NetworkLayout.NodeConfigPath(Root, 0));
        var config = template with
        {
            NodeId = $"node-{index + 1}",
            Listen = _endpoints[index],
            DataDir = NetworkLayout.NodeDataFolder(Root, index),
            ValidatorKeyFile = validatorKeyFile,
            Peers = Enumerable.Range(0, _endpoints.Length).Where(p => p != index).Select(p => new PeerConfig(p, _endpoints[p])).ToArray(),
            JoiningValidator = true,
        };
        await File.WriteAllTextAsync(path, config.ToJson());
        var node = new NodeProcess($"node-{index + 1}", path, _endpoints[index], await ReaderAsync(Root));
        _nodes.Add(node);
        node.Start();
        return node;
    }

    /// <summary>The member the tests read as: Kazakh import customs, which reads certificates in real life.</summary>
    public static async Task<Ledger.Client.CallSigner> ReaderAsync(string root) =>
        (await Ledger.Client.MemberSigner.FromKeyFileAsync(NetworkLayout.MemberKeyPath(root, CorridorGenesis.KzCustoms), ChainId)).ReadSigner();

    public IEnumerable<int> Running => Enumerable.Range(0, Nodes.Count).Where(i => Nodes[i].IsRunning);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after the deadline with <paramref name="what"/> and every log tail.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or InvalidOperationException)
            {
                last = e;
            }
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException(Describe($"Waited {(deadline ?? Deadline).TotalSeconds:F0} s for: {what}" +
            (last is null ? "" : $"\nlast error: {last.Message}")));
    }

    /// <summary>Waits until every listed node answers GetStatus at <paramref name="height"/> or above; returns their statuses.</summary>
    public async Task<IReadOnlyList<NodeStatus>> WaitForHeightAsync(ulong height, IEnumerable<int> nodes)
    {
        var indices = nodes.ToArray();
        var statuses = new NodeStatus?[indices.Length];
        await WaitUntilAsync($"nodes {string.Join(", ", indices.Select(i => Nodes[i].Name))} at height {height} or above", async () =>
        {
            for (var k = 0; k < indices.Length; k++)
            {
                statuses[k] = await Nodes[indices[k]].TryStatusAsync();
            }
            return statuses.All(s => s is not null && s.Height >= height);
        });
        return statuses.Select(s => s!).ToArray();
    }

    /// <summary>
    /// Every listed node holds the same block (header hash) and the same state root at every height
    /// 1..<paramref name="height"/>; returns the hash at that height.
    /// </summary>
    public async Task<Hash32> AssertSameChainAsync(IEnumerable<int> nodes, ulong height)
    {
        var indices = nodes.ToArray();
        var hash = default(Hash32);
        for (var h = 1UL; h <= height; h++)
        {
            var blocks = new List<(string Node, Hash32 Hash, string StateRoot)>();
            foreach (var i in indices)
            {
                var stored = await Nodes[i].Client.GetBlockAsync(new GetBlockRequest { Height = h }, deadline: DateTime.UtcNow.AddSeconds(10));
                blocks.Add((Nodes[i].Name, BlockHashing.HeaderHash(stored.Block.Header), Convert.ToHexStringLower(stored.Block.Header.StateRoot.Span)));
            }
            var first = blocks[0];
            blocks.Should().AllSatisfy(b =>
            {
                b.Hash.Should().Be(first.Hash, $"{b.Node} and {first.Node} must hold the same block at height {h}");
                b.StateRoot.Should().Be(first.StateRoot, $"{b.Node} and {first.Node} must have the same state root after height {h}");
            });
            hash = first.Hash;
        }
        return hash;
    }

    /// <summary>The node's status agrees with its own head block: the hash and state root it reports are that block's.</summary>
    public async Task AssertStatusMatchesHeadAsync(int node)
    {
        var status = await Nodes[node].Client.GetStatusAsync(new GetStatusRequest());
        var head = await Nodes[node].Client.GetBlockAsync(new GetBlockRequest { Height = status.Height });
        status.LastBlockHash.ToByteArray().Should().Equal(BlockHashing.HeaderHash(head.Block.Header).ToArray(), $"{Nodes[node].Name} reports its head block's hash");
        status.StateRoot.ToByteArray().Should().Equal(head.Block.Header.StateRoot.ToByteArray(), $"{Nodes[node].Name} reports its head block's state root");
    }

    /// <summary>Submits to one node and waits for the commit (up to 30 s); a transport failure fails with every log tail.</summary>
    public async Task<SubmitResponse> SubmitAndWaitAsync(int node, TxEnvelope envelope)
    {
        const uint waitMs = 30_000;
        try
        {
            return await Nodes[node].Client.SubmitAsync(
                new SubmitRequest { Transaction = envelope, WaitForCommit = true, WaitTimeoutMs = waitMs },
                deadline: DateTime.UtcNow.AddMilliseconds(waitMs + 10_000));
        }
        catch (Grpc.Core.RpcException e)
        {
            throw new InvalidOperationException(Describe($"Submit to {Nodes[node].Name} failed: {e.Status}"), e);
        }
    }

    /// <summary>A failure message: what went wrong, then the tail of every node's log.</summary>
    public string Describe(string what) => what + "\n" + string.Join("\n", Nodes.Select(n => n.LogTail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
