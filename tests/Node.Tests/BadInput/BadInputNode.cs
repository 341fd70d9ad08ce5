using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// One real validator, hosted in the test process: the node's own <see cref="LedgerNode.RunAsync"/>
/// with its gRPC services, consensus loop and LiteDB files on disk, alone in a one-validator network.
/// It makes no empty blocks, so its height and state root move only when a transaction commits.
/// Its clients call as who each service is for (docs/SECURITY.md): <see cref="Public"/> with no identity,
/// <see cref="Ledger"/> as a member, <see cref="Consensus"/> as the validator itself.
/// </summary>
public sealed class BadInputNode : IAsyncLifetime
{
    public const string ChainId = "badinput";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Blocks only when there is work: a refused request that commits nothing leaves the head where it was.</summary>
    private static readonly ConsensusTimeouts Timeouts = new(
        ProposeBaseMs: 1_000, ProposeDeltaMs: 250, PrevoteBaseMs: 400, PrevoteDeltaMs: 200,
        PrecommitBaseMs: 400, PrecommitDeltaMs: 200, RebroadcastMs: 500, EmptyBlockIntervalMs: 3_600_000);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-badinput-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private GrpcChannel? _channel;
    private IReadOnlyDictionary<string, KeyPair>? _memberKeys;
    private CallSigner? _member;
    private CallSigner? _validator;

    public string Endpoint { get; private set; } = "";

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the node has not started");

    /// <summary>The organisation <see cref="Ledger"/> reads as: Kazakh customs, whose key no test rotates and which no test suspends.</summary>
    public const string Reader = CorridorGenesis.KzCustoms;

    /// <summary>No identity: what anyone may call (Submit, VerifyCertificate, GetStatus), or a call that must be refused for lacking one.</summary>
    public Wire.Ledger.LedgerClient Public => new(Channel);

    /// <summary>Signed as <see cref="Reader"/>, a member: the reads of commercial content answer it.</summary>
    public Wire.Ledger.LedgerClient Ledger => new(Channel.Intercept(new CallSigningInterceptor(MemberSigner)));

    /// <summary>Signed as validator 0, the node's own key: every node-to-node call answers it.</summary>
    public Wire.Consensus.ConsensusClient Consensus => new(Channel.Intercept(new CallSigningInterceptor(ValidatorSigner)));

    /// <summary>No identity on the node-to-node service: each of its calls must be refused.</summary>
    public Wire.Consensus.ConsensusClient PublicConsensus => new(Channel);

    public CallSigner MemberSigner => _member ?? throw new InvalidOperationException("the node has not started");

    public CallSigner ValidatorSigner => _validator ?? throw new InvalidOperationException("the node has not started");

    /// <summary>The one validator's consensus key: to sign messages only a validator could send.</summary>
    public KeyPair? ValidatorKey { get; private set; }

    /// <summary>The key of a member organisation of the corridor genesis (CorridorGenesis ids).</summary>
    public KeyPair KeyOf(string organisation) => _memberKeys![organisation];

    public async Task InitializeAsync()
    {
        var network = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), validatorCount: 1);
        _memberKeys = network.MemberKeys;
        var port = FreePorts.FindRange(1);
        Endpoint = $"http://127.0.0.1:{port}";
        await NetworkLayout.WriteAsync(_folder, network, port, Timeouts, CancellationToken.None);
        _member = CallSigner.ForMember(ChainId, Reader, _memberKeys[Reader]);
        var validatorKey = await KeyFile.LoadAsync(Path.Combine(NetworkLayout.NodeFolder(_folder, 0), NetworkLayout.ValidatorKeyFile));
        _validator = CallSigner.ForValidator(ChainId, 0, validatorKey.Pair);
        ValidatorKey = validatorKey.Pair;
        var config = NodeConfig.Load(NetworkLayout.NodeConfigPath(_folder, 0));
        _run = Task.Run(() => LedgerNode.RunAsync(config, ConfigOverrides.None, KeyFileOptions.Default, _stop.Token));
        // Large enough to send a message past the node's receive limit, and to read any block back.
        _channel = GrpcChannel.ForAddress(Endpoint, new GrpcChannelOptions
        {
            MaxSendMessageSize = null,
            MaxReceiveMessageSize = LedgerNode.MessageBytesMax,
        });
        await WaitUntilAsync("the node answers GetStatus at height 1", async () =>
            (await Public.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Height >= 1);
    }

    /// <summary>
    /// The identity headers a raw call of <paramref name="method"/> needs, or null for a public method. The node
    /// checks the signature over the request it parsed, re-encoded (MemberReads and PeerCalls sign
    /// <c>request.ToByteArray()</c>), so <paramref name="request"/> is parsed as the method's request type and
    /// its re-encoding signed; a stream from the client is checked when it opens, over an empty request.
    /// </summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are no request of the method: a node refuses them before asking who calls.</exception>
    public Metadata? IdentityFor(string service, string method, MethodType type, byte[] request)
    {
        var (signer, descriptor) = (service, method) switch
        {
            ("ledger.v1.Ledger", "GetTransaction" or "GetCertificate" or "GetConsignment" or "GetBlock" or "StreamBlocks" or "GetProposal" or "ListProposals") => (MemberSigner, Wire.Ledger.Descriptor),
            ("ledger.v1.Consensus", _) => (ValidatorSigner, Wire.Consensus.Descriptor),
            _ => (null, null),
        };
        if (signer is null)
        {
            return null;
        }
        var parsed = type == MethodType.ClientStreaming ? null : descriptor!.FindMethodByName(method).InputType.Parser.ParseFrom(request);
        return signer.Headers($"/{service}/{method}", parsed);
    }

    /// <summary>The calls the node refused for their caller's identity since it started.</summary>
    public async Task<AccessCounters> AccessCountersAsync() =>
        (await Public.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.Add(Deadline))).AccessCounters;

    /// <summary>The node's head: height, block hash and state root.</summary>
    public async Task<(ulong Height, string BlockHash, string StateRoot)> HeadAsync()
    {
        var status = await Public.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.Add(Deadline));
        return (status.Height, Convert.ToHexStringLower(status.LastBlockHash.Span), Convert.ToHexStringLower(status.StateRoot.Span));
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after the deadline naming what was awaited.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        RpcException? last = null;
        while (DateTime.UtcNow < until)
        {
            if (_run is { IsCompleted: true })
            {
                throw new InvalidOperationException($"the node stopped while waiting for: {what}", _run.Exception);
            }
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (RpcException e)
            {
                last = e;
            }
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException($"waited {Deadline.TotalSeconds:F0} s for: {what}" + (last is null ? "" : $"; last error: {last.Status}"));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _channel?.Dispose();
        _stop.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
