using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Demo;

/// <summary>A fresh local network for the demo: written to a new folder, its validators started as child processes.</summary>
public sealed class DemoNetwork : IAsyncDisposable
{
    private readonly ChildNodes _nodes;
    private readonly StreamWriter _log;

    private DemoNetwork(string folder, IReadOnlyList<string> endpoints, IReadOnlyList<int> started)
    {
        _nodes = new ChildNodes(started.Count);
        Folder = folder;
        Endpoints = endpoints;
        Started = started;
        _log = new StreamWriter(Path.Combine(folder, "nodes.log")) { AutoFlush = true };
    }

    public string Folder { get; }

    public IReadOnlyList<string> Endpoints { get; }

    /// <summary>The validators started as processes, in validator order: all unless the caller plays some itself.</summary>
    public IReadOnlyList<int> Started { get; }

    public IReadOnlyList<string> StartedEndpoints => Started.Select(i => Endpoints[i]).ToArray();

    public string GenesisPath => Path.Combine(Folder, NetworkLayout.GenesisFile);

    public string LogPath => Path.Combine(Folder, "nodes.log");

    /// <summary>The validator processes, in the order of <see cref="Started"/>.</summary>
    public IReadOnlyList<System.Diagnostics.Process> Processes => _nodes.Processes;

    /// <summary>SIGKILLs validator <paramref name="index"/> (0-based).</summary>
    public void Kill(int index) => _nodes.Kill(index);

    /// <summary>Starts a killed validator again from its folder.</summary>
    public Task<System.Diagnostics.Process> RestartAsync(int index, CancellationToken ct) =>
        _nodes.RestartAsync(index, $"node-{index + 1}", NetworkLayout.NodeConfigPath(Folder, index), _log, ct);

    /// <summary>The address of the first node's verification page, e.g. "http://127.0.0.1:20005/".</summary>
    public string VerificationPageUrl => $"http://{Hosting.NodeConfig.Load(NetworkLayout.NodeConfigPath(Folder, Started[0])).VerificationPage!.Listen}/";

    /// <summary>Node <paramref name="index"/>'s Prometheus endpoint, e.g. "http://127.0.0.1:20008/metrics", when the network was started with metrics.</summary>
    public string MetricsUrl(int index) => $"http://{Hosting.NodeConfig.Load(NetworkLayout.NodeConfigPath(Folder, index)).Metrics!.Listen}/metrics";

    public string MemberKey(string organisation) => NetworkLayout.MemberKeyPath(Folder, organisation);

    /// <summary>
    /// How long the demo's issuer has to answer a verification request: seconds standing for the corridor's 30 days, so
    /// that the story can show a deadline pass (docs/PROTOCOL.md, "Verification deadlines").
    /// </summary>
    public const long StoryVerificationDeadlineMs = 6_000;

    /// <param name="verificationDeadlineMs">The genesis rule for verification deadlines; the corridor's 30 days when null.</param>
    public static Task<DemoNetwork> StartAsync(string folder, int validators, CancellationToken ct, long? verificationDeadlineMs = null)
    {
        var spec = CorridorGenesis.Create(LocalNetwork.DefaultChainId, DateTimeOffset.UtcNow.AddDays(-30), validators);
        if (verificationDeadlineMs is { } deadlineMs)
        {
            spec = spec with { Document = spec.Document with { VerificationDeadlineMs = deadlineMs } };
        }
        return StartAsync(folder, spec, null, ct);
    }

    /// <summary>Writes the given network to the folder, starts its validators and waits for their first block.</summary>
    /// <param name="starts">Which validators to start (all by default); the caller serves the others' endpoints itself, as a benchmark's hostile validator does.</param>
    /// <param name="metrics">Each node serves its metrics (<see cref="MetricsUrl"/>), as a benchmark reading the nodes' runtime counters wants.</param>
    public static async Task<DemoNetwork> StartAsync(
        string folder,
        (Contracts.Genesis.GenesisDocument Document, IReadOnlyDictionary<string, Contracts.Crypto.KeyPair> MemberKeys, IReadOnlyList<Contracts.Crypto.KeyPair> ValidatorKeys) spec,
        Hosting.ConsensusTimeouts? timeouts,
        CancellationToken ct,
        Func<int, bool>? starts = null,
        bool metrics = false)
    {
        var validators = spec.ValidatorKeys.Count;
        // Twice as many ports as nodes: each node's verification page follows them (NetworkLayout.VerificationPageListen);
        // three times with metrics, which follow the pages.
        var endpoints = await NetworkLayout.WriteAsync(folder, spec, FreePorts.FindRange((metrics ? 3 : 2) * validators), timeouts, ct,
            verificationPages: true, metrics: metrics);
        var started = Enumerable.Range(0, validators).Where(i => starts?.Invoke(i) ?? true).ToArray();
        var network = new DemoNetwork(folder, endpoints, started);
        foreach (var i in started)
        {
            network._nodes.Start($"node-{i + 1}", NetworkLayout.NodeConfigPath(folder, i), network._log);
        }
        await network.WaitForFirstBlockAsync(ct);
        return network;
    }

    /// <summary>
    /// A plain-HTTP/2 channel to one of the network's nodes that takes answers up to the client library's size:
    /// gRPC's default of 4 MiB is below a full block (up to 12 MiB), which a block stream would fail on.
    /// </summary>
    public static GrpcChannel OpenChannel(string endpoint) =>
        GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = Client.GrpcChannelFactory.ReceiveBytesMax });

    private async Task WaitForFirstBlockAsync(CancellationToken ct)
    {
        var channels = StartedEndpoints.Select(OpenChannel).ToArray();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var heights = await Task.WhenAll(channels.Select(async c =>
                        (await new Wire.Ledger.LedgerClient(c).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct)).Height));
                    if (heights.All(h => h >= 1))
                    {
                        return;
                    }
                }
                catch (RpcException)
                {
                    // Still starting.
                }
                await Task.Delay(200, ct);
            }
            throw new TimeoutException($"the validators did not commit a first block within 90 s; see {LogPath}");
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _log.DisposeAsync();
    }
}
