using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.StateTree;
using Ledger.Node.Chain;
using Ledger.Node.Mempool;
using Ledger.Node.Network;
using Ledger.Node.Services;
using Ledger.Node.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>Starts one node from its configuration: storage, mempool, peer links, the consensus loop and the gRPC endpoints.</summary>
public static class LedgerNode
{
    public const int MessageBytesMax = 64 * 1024 * 1024;

    public static async Task RunAsync(NodeConfig nodeConfig, CancellationToken ct)
    {
        var (config, organisations) = GenesisLoader.Load(GenesisLoader.Parse(await File.ReadAllTextAsync(nodeConfig.GenesisFile, ct)));
        var genesis = GenesisState.Entries(config, organisations);
        var genesisTree = LedgerStateMachine.Genesis(genesis, new InMemoryTreePageStore());
        using var database = new NodeDatabase(nodeConfig.DataDir);
        var store = new BlockStore(database, new ChainIdentity(config.ChainId, genesisTree.Root));
        if (!store.IsInitialised)
        {
            store.InitialiseGenesis(genesis, genesisTree);
        }
        var keys = new Ledger.Client.TrustedValidators(config.ChainId, config.Validators);
        var signer = await LoadSignerAsync(nodeConfig, keys, ct);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        var listen = new Uri(nodeConfig.Listen);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Parse(listen.Host), listen.Port,
            // Plain HTTP/2 on loopback: without TLS, gRPC clients need HTTP/2 only (FACTS.md).
            o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MessageBytesMax;
            o.MaxSendMessageSize = MessageBytesMax;
        });
        await using var network = new PeerNetwork(signer?.ValidatorIndex ?? -1,
            nodeConfig.Peers.Select(p => (p.ValidatorIndex, p.Endpoint)),
            LoggerFactory.Create(l => l.AddSimpleConsole()).CreateLogger("Ledger.Peers"));
        var mempool = nodeConfig.Mempool ?? new MempoolConfig();
        var services = new NodeServices(nodeConfig, config, store, new ConsensusJournal(database),
            new TransactionPool(mempool.TransactionsMax, mempool.BytesMax), new CommitFeed(), network, keys, signer,
            nodeConfig.Block ?? new BlockLimits(), nodeConfig.Consensus ?? new ConsensusTimeouts());
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton<ConsensusHost>();
        builder.Services.AddSingleton<TransactionIntake>();
        builder.Services.AddSingleton<StateQueries>();
        builder.Services.AddGrpcHealthChecks().AddCheck<ConsensusHealthCheck>("consensus");

        await using var app = builder.Build();
        app.MapGrpcService<LedgerService>();
        app.MapGrpcService<ConsensusService>();
        app.MapGrpcHealthChecksService();
        var host = app.Services.GetRequiredService<ConsensusHost>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // SIGTERM (a service manager stopping the node) reaches the host's lifetime, not the command line's token.
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
        await app.StartAsync(ct);
        app.Logger.LogInformation("Node {Node} of chain {Chain} listening on {Endpoint}, head {Height}, {Role}",
            nodeConfig.NodeId, config.ChainId, nodeConfig.Listen, store.Head.Height,
            signer is null ? "read replica" : $"validator {signer.ValidatorIndex}");
        var loop = host.RunAsync(stop.Token);
        await Task.WhenAny(loop, Task.Delay(Timeout.Infinite, shutdown.Token));
        app.Logger.LogInformation("Stopping: the consensus loop ends after the event in hand");
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await app.StopAsync(CancellationToken.None);
        if (loop.IsFaulted)
        {
            throw loop.Exception!.InnerException!;
        }
    }

    private static async Task<ValidatorSigner?> LoadSignerAsync(NodeConfig nodeConfig, Ledger.Client.TrustedValidators keys, CancellationToken ct)
    {
        if (nodeConfig.ValidatorKeyFile is null)
        {
            return null;
        }
        var key = (await KeyFile.LoadAsync(nodeConfig.ValidatorKeyFile, ct)).Pair;
        var index = keys.IndexOf(key.Public);
        return index < 0
            ? throw new InvalidDataException($"the key in '{nodeConfig.ValidatorKeyFile}' is not a validator key of this network's genesis")
            : new ValidatorSigner(index, key);
    }
}
