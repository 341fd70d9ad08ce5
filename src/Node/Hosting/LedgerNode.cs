using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server.Model;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Access;
using Ledger.Node.Chain;
using Ledger.Node.Mempool;
using Ledger.Node.Network;
using Ledger.Node.Services;
using Ledger.Node.Storage;
using Ledger.Node.Telemetry;
using Ledger.Node.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>Starts one node from its configuration: storage, mempool, peer links, the consensus loop and the gRPC endpoints.</summary>
public static class LedgerNode
{
    public const int MessageBytesMax = 64 * 1024 * 1024;

    /// <summary>Room in a request of the public service beyond its transaction envelope (Submit's own fields, framing).</summary>
    public const int RequestOverheadBytes = 1024;

    /// <summary>
    /// What the public service receives: just above the largest transaction the network accepts, so that a larger
    /// request is refused before it is read (blocks travel on the peers' service, up to <see cref="MessageBytesMax"/>).
    /// </summary>
    public static int PublicRequestBytesMax(uint txBytesMax) => (int)Math.Min((long)txBytesMax + RequestOverheadBytes, MessageBytesMax);

    /// <summary>How long a stopping node waits for calls in flight (reads, a stream of blocks) before it closes their connections.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <param name="keyFile">How the validator or member key file is opened (its passphrase; whether one others can read is used);
    /// it also decides whether a TLS private key others can read is used.</param>
    /// <exception cref="KeyFileException">A key file cannot be used; its message names it and why.</exception>
    public static async Task RunAsync(NodeConfig nodeConfig, ConfigOverrides overrides, KeyFileOptions keyFile, CancellationToken ct)
    {
        // A full disk stops consensus; once space is back the node reopens its storage and resumes as after a restart.
        while (await RunOnceAsync(nodeConfig, overrides, keyFile, ct))
        {
        }
    }

    /// <summary>Free space on the data folder's disk at which a node stopped by a full disk reopens its storage: room for a log's worth of blocks.</summary>
    public const long DiskFullResumeFreeBytes = 16L * 1024 * 1024;

    private static readonly TimeSpan DiskSpacePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the node until it stops; true when it stopped on a full disk and space is back, to be started again.</summary>
    private static async Task<bool> RunOnceAsync(NodeConfig nodeConfig, ConfigOverrides overrides, KeyFileOptions keyFile, CancellationToken ct)
    {
        // Read once: the verification page serves these exact bytes, whose hash links pin the network by.
        var genesisDocument = await File.ReadAllBytesAsync(nodeConfig.GenesisFile, ct);
        // Decoded as File.ReadAllText decodes: a byte order mark is recognised and skipped.
        using var genesisText = new StreamReader(new MemoryStream(genesisDocument));
        var (config, organisations) = GenesisLoader.Load(GenesisLoader.Parse(await genesisText.ReadToEndAsync(ct)));
        // Keys first: a wrong passphrase or an exposed key stops the node before it opens its database.
        var validatorKey = nodeConfig.ValidatorKeyFile is null ? null : (await KeyFile.LoadAsync(nodeConfig.ValidatorKeyFile, keyFile, ct)).Pair;
        CheckTlsKeyMode(nodeConfig.Tls, keyFile);
        if (validatorKey is not null)
        {
            // The genesis roster is known before the database opens: a mistake there stops the node before it touches disk.
            CheckPeersAreOthers(nodeConfig, new NodeRosters(config, new InMemoryState()).IndexOf(validatorKey.Public));
        }
        var genesis = GenesisState.Entries(config, organisations);
        var genesisTree = LedgerStateMachine.Genesis(genesis, new InMemoryTreePageStore());
        using var database = new NodeDatabase(nodeConfig.DataDir);
        var store = new BlockStore(database, new ChainIdentity(config.ChainId, genesisTree.Root));
        if (!store.IsInitialised)
        {
            store.InitialiseGenesis(genesis, genesisTree);
        }
        // The validator's position comes from the rosters this node has committed: the genesis's, or a later one's.
        var rosters = new NodeRosters(config, store.State);
        var signer = validatorKey is null ? null : Signer(nodeConfig, rosters, validatorKey);
        var peerIdentity = await PeerIdentityAsync(nodeConfig, config.ChainId, signer, keyFile, ct);

        var builder = WebApplication.CreateSlimBuilder();
        NodeLogging.Configure(builder.Logging, nodeConfig.Logging);
        var listen = ListenAddress.Of(nodeConfig);
        var metricsEndpoint = nodeConfig.Metrics?.EndPoint();
        PortCheck.ThrowIfTaken("Listen", new System.Net.IPEndPoint(listen.Address, listen.Port));
        if (metricsEndpoint is not null)
        {
            PortCheck.ThrowIfTaken("Metrics:Listen", metricsEndpoint);
        }
        var pageEndpoint = nodeConfig.VerificationPage?.EndPoint();
        if (pageEndpoint is not null)
        {
            PortCheck.ThrowIfTaken("VerificationPage:Listen", pageEndpoint);
        }
        var certificate = nodeConfig.Tls is { } tls ? X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile) : null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(listen.Address, listen.Port, o =>
            {
                // HTTP/2 only: without TLS gRPC clients cannot negotiate it, and with TLS nothing else is served (FACTS.md).
                o.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    o.UseHttps(certificate);
                }
            });
            if (metricsEndpoint is not null)
            {
                // Prometheus scrapes over HTTP/1.1, which the gRPC port does not speak: a port of its own.
                k.Listen(metricsEndpoint, o => o.Protocols = HttpProtocols.Http1);
            }
            if (pageEndpoint is not null)
            {
                // Browsers: HTTP/1.1 on a port of its own, https with the node's certificate when it has one.
                k.Listen(pageEndpoint, o =>
                {
                    o.Protocols = HttpProtocols.Http1;
                    if (certificate is not null)
                    {
                        o.UseHttps(certificate);
                    }
                });
            }
        });
        var publicRequestBytesMax = PublicRequestBytesMax(config.Limits.TxBytesMax);
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MessageBytesMax;
            o.MaxSendMessageSize = MessageBytesMax;
            o.Interceptors.Add<ShutdownStatusInterceptor>();
        }).AddServiceOptions<LedgerService>(o => o.MaxReceiveMessageSize = publicRequestBytesMax);
        // Every service bound with request parsing that answers malformed bytes with InvalidArgument.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(RequestParsingMethodProvider<>));
        // The links start before the host is built, so they log through a factory of their own, set up alike.
        using var peerLogging = LoggerFactory.Create(l => NodeLogging.Configure(l, nodeConfig.Logging));
        await using var network = new PeerNetwork(signer?.ValidatorIndex ?? -1,
            nodeConfig.Peers.Select(p => (p.ValidatorIndex, p.Endpoint)), peerIdentity, nodeConfig.Tls?.CaFile,
            peerLogging.CreateLogger<PeerNetwork>());
        var mempool = nodeConfig.Mempool ?? new MempoolConfig();
        var services = new NodeServices(nodeConfig, config, store, new ConsensusJournal(database),
            new TransactionPool(mempool.TransactionsMax, mempool.BytesMax), new CommitFeed(), network, rosters, signer,
            nodeConfig.Block ?? new BlockLimits(), nodeConfig.Consensus ?? new ConsensusTimeouts());
        builder.Services.AddSingleton(services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddNodeMetrics(nodeConfig.NodeId, metricsEndpoint);
        builder.Services.AddSingleton<ConsensusHost>();
        builder.Services.AddSingleton<TransactionIntake>();
        builder.Services.AddSingleton<StateQueries>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MemberReads>();
        builder.Services.AddSingleton<PeerCalls>();
        builder.Services.AddSingleton<Services.ReceiptTrees>();
        builder.Services.AddGrpcHealthChecks().AddCheck<ConsensusHealthCheck>("consensus");

        await using var app = builder.Build();
        app.UseMiddleware<SubmitSizeGate>(publicRequestBytesMax, config.Limits.TxBytesMax);
        app.MapGrpcService<LedgerService>();
        app.MapGrpcService<ConsensusService>();
        app.MapGrpcHealthChecksService();
        app.MapNodeMetrics(metricsEndpoint);
        if (pageEndpoint is not null)
        {
            app.MapVerificationPage(pageEndpoint.Port, genesisDocument);
        }
        var host = app.Services.GetRequiredService<ConsensusHost>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LedgerNode).FullName!);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // SIGTERM (a service manager stopping the node) reaches the host's lifetime, not the command line's token.
        // Damage found by any read (a client's, a peer's) stops the node too: it must not serve from that store.
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping, database.DamageFound);
        await app.StartAsync(ct);
        log.LogInformation("Node {Node} of chain {Chain} listening on {Endpoint}, head {Height}, validator index {ValidatorIndex} (-1: a read replica), metrics on {MetricsEndpoint}, verification page on {PageEndpoint}",
            nodeConfig.NodeId, config.ChainId, nodeConfig.Listen, store.Head.Height, signer?.ValidatorIndex ?? -1, metricsEndpoint?.ToString() ?? "none", pageEndpoint?.ToString() ?? "none");
        foreach (var setting in overrides.Settings)
        {
            log.LogInformation("Setting {Key} from {Source}", setting.Key, setting.Source);
        }
        if (overrides.IgnoredEnvironment.Count > 0)
        {
            log.LogWarning("Ignored environment variables that name no setting of the node: {Variables}", overrides.IgnoredEnvironment);
        }
        var loop = host.RunAsync(stop.Token);
        await Task.WhenAny(loop, Task.Delay(Timeout.Infinite, shutdown.Token));
        var reopen = database.DiskFull is not null && await WaitForSpaceAsync(database, log, shutdown.Token);
        // From here Submit answers Unavailable and peer streams close (both watch ApplicationStopping); a block
        // being executed or written is the event in hand, and the loop stops after it.
        log.LogInformation("Stopping: refusing submissions; the consensus loop ends after the event in hand");
        await stop.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        log.LogInformation("Consensus stopped at height {Height}; closing connections (at most {ShutdownSeconds} s)", store.Head.Height, ShutdownTimeout.TotalSeconds);
        await app.StopAsync(CancellationToken.None);
        if (database.Damage is { } damage)
        {
            // Exit code 5 with the one line that says what to do (OPERATIONS.md, "A damaged database").
            throw damage;
        }
        if (database.DiskFull is not null)
        {
            // Space is back (reopen), or the node was stopped while waiting for it: its crit line said why.
            return reopen;
        }
        if (loop.IsFaulted)
        {
            throw loop.Exception!.InnerException!;
        }
        // Leaving the method closes the peer links, then the database, which checkpoints its log into the data file.
        return false;
    }

    /// <summary>
    /// While the disk is full the node keeps answering reads from what it committed, reports NOT_SERVING and refuses
    /// submissions; true once enough space is free to go on, false if the node is stopped first.
    /// </summary>
    private static async Task<bool> WaitForSpaceAsync(NodeDatabase database, ILogger log, CancellationToken ct)
    {
        try
        {
            while (database.FreeBytes < DiskFullResumeFreeBytes)
            {
                await Task.Delay(DiskSpacePollInterval, ct);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        log.LogWarning("Disk space is back ({FreeMiB} MiB free); reopening the storage and resuming consensus from the journal", database.FreeBytes / (1024 * 1024));
        return true;
    }

    private static ValidatorSigner Signer(NodeConfig nodeConfig, NodeRosters rosters, KeyPair key)
    {
        var index = rosters.IndexOf(key.Public);
        if (index >= 0)
        {
            CheckPeersAreOthers(nodeConfig, index);
            return new ValidatorSigner(index, key);
        }
        if (!nodeConfig.JoiningValidator)
        {
            throw new InvalidDataException(
                $"the key in '{nodeConfig.ValidatorKeyFile}' is not a validator key of this network (its genesis, or a validator change this node has committed, up to height {rosters.Current.Latest.FromHeight - 1} or later); " +
                "for a validator that governance is adding, set JoiningValidator: true, and the node follows as a replica until the change is committed");
        }
        // Not a validator yet as far as this node's store goes: it follows as a replica and takes its place once it has
        // committed the change that adds its key.
        return ValidatorSigner.Waiting(key);
    }

    /// <summary>A node lists its peers, never itself: its own position cannot be one of them.</summary>
    private static void CheckPeersAreOthers(NodeConfig nodeConfig, int index)
    {
        if (index >= 0 && nodeConfig.Peers.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.ValidatorIndex == index) is { p: not null } self)
        {
            throw new InvalidDataException(
                $"Peers:{self.i}:ValidatorIndex: {index} is this node's own index (its key is validator {index}); list the other validators only");
        }
    }

    // How this node proves itself to its peers: as the validator it is, or as the member that runs a replica.
    private static async Task<CallSigner?> PeerIdentityAsync(NodeConfig nodeConfig, string chainId, ValidatorSigner? signer, KeyFileOptions keyFile, CancellationToken ct)
    {
        if (signer is { IsPlaced: true })
        {
            return signer.PeerCallSigner(chainId);
        }
        if (nodeConfig.MemberKeyFile is { } memberKeyFile)
        {
            return (await MemberSigner.FromKeyFileAsync(memberKeyFile, chainId, keyFile: keyFile, cancellationToken: ct)).ReadSigner();
        }
        // A validator still waiting to be added reads as the member its key file names, if the organisation registered
        // the same key as a member key; otherwise it needs a MemberKeyFile to follow the chain until then.
        if (signer is null || (await KeyFile.LoadAsync(nodeConfig.ValidatorKeyFile!, keyFile, ct)).Organisation is null)
        {
            return null;
        }
        return (await MemberSigner.FromKeyFileAsync(nodeConfig.ValidatorKeyFile!, chainId, keyFile: keyFile, cancellationToken: ct)).ReadSigner();
    }

    // The TLS private key is PEM that Kestrel reads itself; it is held to the rule of the ledger's own key files.
    private static void CheckTlsKeyMode(TlsConfig? tls, KeyFileOptions keyFile)
    {
        if (tls is null || !File.Exists(tls.KeyFile) || KeyFileMode.Problem(tls.KeyFile) is not { } problem)
        {
            return;
        }
        if (!keyFile.AllowInsecureMode)
        {
            throw new KeyFileException(tls.KeyFile, problem);
        }
        keyFile.Warning?.Invoke($"TLS key file '{tls.KeyFile}' {problem.Split(';')[0]}; used because insecure key files are allowed");
    }
}
