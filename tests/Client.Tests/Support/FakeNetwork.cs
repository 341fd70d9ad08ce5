using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ledger.Client.Tests.Support;

/// <summary>
/// Fake nodes over one real chain, each served by its own in-process TestServer, and clients wired to them.
/// An endpoint "http://name" reaches the fake of that name; any other endpoint gets a real gRPC channel.
/// </summary>
public sealed class FakeNetwork : ILedgerChannelFactory, IAsyncDisposable
{
    private readonly Dictionary<string, (IHost Host, FakeLedgerNode Node)> _nodes = new(StringComparer.Ordinal);

    public FakeNetwork()
    {
        Corridor = new Corridor();
        Chain = new TestChain(Corridor);
    }

    public Corridor Corridor { get; }

    public TestChain Chain { get; }

    public FakeLedgerNode Node(string name)
    {
        if (_nodes.TryGetValue(name, out var existing))
        {
            return existing.Node;
        }
        var node = new FakeLedgerNode(Chain, name);
        var host = new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton(node);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<FakeLedgerNode>());
                }))
            .Start();
        _nodes[name] = (host, node);
        return node;
    }

    public static string Endpoint(string name) => "http://" + name;

    public ChannelBase Create(string endpoint)
    {
        var name = new Uri(endpoint).Host;
        if (!_nodes.TryGetValue(name, out var entry))
        {
            return GrpcChannel.ForAddress(endpoint);
        }
        var server = entry.Host.GetTestServer();
        return GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
    }

    public LedgerClientOptions Options(params string[] endpoints)
    {
        var options = new LedgerClientOptions
        {
            ChainId = Corridor.ChainId,
            Genesis = Corridor.Genesis,
            CallTimeout = TimeSpan.FromSeconds(5),
            CommitWait = TimeSpan.FromSeconds(2),
            SubmitTimeout = TimeSpan.FromSeconds(10),
            RetryCount = 3,
        };
        foreach (var endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : Endpoint(endpoint));
        }
        return options;
    }

    /// <summary>A client of the named nodes, in this order; each is started if it is not yet.</summary>
    public LedgerNodeClient Client(params string[] nodes) => Client(Options(nodes));

    public LedgerNodeClient Client(LedgerClientOptions options)
    {
        foreach (var endpoint in options.Endpoints)
        {
            var host = new Uri(endpoint).Host;
            if (!host.Contains('.', StringComparison.Ordinal))
            {
                Node(host);
            }
        }
        var connection = new LedgerConnection(Microsoft.Extensions.Options.Options.Create(options), this);
        return new LedgerNodeClient(connection, TrustedValidators.FromGenesis(Corridor.Genesis));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, _) in _nodes.Values)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
