using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Adversary;

/// <summary>
/// A validator that is hostile in every way one validator can be, run in the test process in place of a real node (a
/// test helper, never a flag of the production binary). It holds its genuine validator key and serves the node-to-node
/// service on its validator's endpoint, so the honest nodes link to it as to any peer. It never votes honestly, and:
/// relays every proposal it hears to a victim with one transaction signature flipped under the same id (finding 1);
/// signs votes for heights far ahead (finding 3) and stalls every block sync and block fetch asked of it; floods
/// distinct signed prevotes (finding 5) and claims another validator's index as sender (finding 6).
/// </summary>
public sealed class AdversaryValidator : IAsyncDisposable
{
    private const int FloodPerTick = 40;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a broken outgoing stream waits before it is opened again.</summary>
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromMilliseconds(100);

    private readonly string _chainId;
    private readonly int _index;
    private readonly KeyPair _key;
    private readonly int _victim;
    private readonly WebApplication _app;
    private readonly List<(int Index, GrpcChannel Channel, Channel<PeerEnvelope> Outbox, Task Pump)> _peers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _attacks;
    private long _seenHeight;
    private long _tamperedSent;
    private long _farFutureSent;
    private long _floodSent;
    private long _syncCalls;
    private long _fetchCalls;
    private long _nonce;

    private AdversaryValidator(string chainId, int index, KeyPair key, int victim, WebApplication app)
    {
        _chainId = chainId;
        _index = index;
        _key = key;
        _victim = victim;
        _app = app;
        _attacks = Task.Run(() => AttackAsync(_stop.Token));
    }

    public long TamperedSent => Interlocked.Read(ref _tamperedSent);

    public long FarFutureSent => Interlocked.Read(ref _farFutureSent);

    public long FloodSent => Interlocked.Read(ref _floodSent);

    /// <summary>Block sync calls (GetBlocks) the honest nodes made to it, each left hanging until they gave up.</summary>
    public long SyncCalls => Interlocked.Read(ref _syncCalls);

    /// <summary>Block fetches (GetProposedBlock) the honest nodes made to it, each left hanging until they gave up.</summary>
    public long FetchCalls => Interlocked.Read(ref _fetchCalls);

    public static async Task<AdversaryValidator> StartAsync(string chainId, int index, KeyPair key, string listen, IReadOnlyList<(int Index, string Endpoint)> peers, int victim)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var uri = new Uri(listen);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, uri.Port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        var holder = new AdversaryHolder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<AdversaryService>();
        await app.StartAsync();
        var adversary = new AdversaryValidator(chainId, index, key, victim, app);
        holder.Adversary = adversary;
        var identity = CallSigner.ForValidator(chainId, index, key);
        foreach (var (peerIndex, endpoint) in peers)
        {
            var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
            var client = new Wire.Consensus.ConsensusClient(channel.Intercept(new CallSigningInterceptor(identity)));
            var outbox = Channel.CreateBounded<PeerEnvelope>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });
            adversary._peers.Add((peerIndex, channel, outbox, Task.Run(() => PumpAsync(client, outbox, adversary._stop.Token))));
        }
        return adversary;
    }

    private static async Task PumpAsync(Wire.Consensus.ConsensusClient client, Channel<PeerEnvelope> outbox, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var call = client.Push(cancellationToken: ct);
                await foreach (var envelope in outbox.Reader.ReadAllAsync(ct))
                {
                    await call.RequestStream.WriteAsync(envelope, ct);
                }
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
            {
                await Task.Delay(ReconnectPause, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SendTo(int peer, PeerEnvelope envelope)
    {
        foreach (var p in _peers.Where(p => p.Index == peer))
        {
            p.Outbox.Writer.TryWrite(envelope);
        }
    }

    private void SendToAll(PeerEnvelope envelope)
    {
        foreach (var p in _peers)
        {
            p.Outbox.Writer.TryWrite(envelope);
        }
    }

    /// <summary>An honest message arrived: note the height, and relay a proposal's block, tampered, to the victim.</summary>
    internal void Heard(PeerEnvelope envelope)
    {
        var height = envelope.MessageCase switch
        {
            PeerEnvelope.MessageOneofCase.Proposal => envelope.Proposal.Height,
            PeerEnvelope.MessageOneofCase.Vote => envelope.Vote.Height,
            _ => 0UL,
        };
        if ((long)height > Interlocked.Read(ref _seenHeight))
        {
            Interlocked.Exchange(ref _seenHeight, (long)height);
        }
        if (envelope.MessageCase == PeerEnvelope.MessageOneofCase.Proposal && envelope.Proposal.Block is { Transactions.Count: > 0 } block)
        {
            var tampered = envelope.Clone();
            tampered.FromValidator = envelope.Proposal.ProposerIndex;
            tampered.Proposal.Block = Tamper(block);
            SendTo(_victim, tampered);
            Interlocked.Increment(ref _tamperedSent);
        }
    }

    internal void StalledSync() => Interlocked.Increment(ref _syncCalls);

    internal void StalledFetch() => Interlocked.Increment(ref _fetchCalls);

    private static Block Tamper(Block block)
    {
        var copy = block.Clone();
        var signature = copy.Transactions[^1].Signature.ToByteArray();
        signature[^1] ^= 0x01;
        copy.Transactions[^1].Signature = ByteString.CopyFrom(signature);
        return copy;
    }

    private async Task AttackAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var height = (ulong)Interlocked.Read(ref _seenHeight);
                if (height == 0)
                {
                    continue;
                }
                // Far ahead: a correct node must not go syncing (from this very node, which stalls) on one validator's word.
                SendToAll(Envelope(Vote(VoteType.Prevote, height + 1_000 + (ulong)(_nonce % 7), 0, RandomValue())));
                Interlocked.Increment(ref _farFutureSent);
                for (var i = 0; i < FloodPerTick; i++)
                {
                    var type = i % 2 == 0 ? VoteType.Prevote : VoteType.Precommit;
                    SendToAll(Envelope(Vote(type, height, i % 3, RandomValue())));
                }
                Interlocked.Add(ref _floodSent, FloodPerTick);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private Hash32 RandomValue() => Hash32.Sha256(BitConverter.GetBytes(Interlocked.Increment(ref _nonce)));

    /// <summary>Signed with the genuine key, but claiming to come from validator 0.</summary>
    private static PeerEnvelope Envelope(VoteMessage vote) => new() { FromValidator = 0, Vote = vote };

    private VoteMessage Vote(VoteType type, ulong height, int round, Hash32 value) => new()
    {
        Type = type,
        Height = height,
        Round = (uint)round,
        BlockId = ByteString.CopyFrom(value.Span),
        ValidatorIndex = (uint)_index,
        Signature = ByteString.CopyFrom(SignatureSuites.Sign(_key.Private, ConsensusSignBytes.ForVote(_chainId, type, height, round, value))),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _attacks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var peer in _peers)
        {
            peer.Outbox.Writer.TryComplete();
            await peer.Pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            peer.Channel.Dispose();
        }
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(bound.Token);
        }
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    internal sealed class AdversaryHolder
    {
        public AdversaryValidator? Adversary { get; set; }
    }

    /// <summary>The node-to-node service as the adversary serves it: it listens to everything and answers nothing in time.</summary>
    internal sealed class AdversaryService(AdversaryHolder holder) : Wire.Consensus.ConsensusBase
    {
        public override async Task<PushAck> Push(IAsyncStreamReader<PeerEnvelope> requestStream, ServerCallContext context)
        {
            try
            {
                await foreach (var envelope in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    holder.Adversary?.Heard(envelope);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The honest node went away.
            }
            return new PushAck();
        }

        public override async Task GetBlocks(GetBlocksRequest request, IServerStreamWriter<StoredBlock> responseStream, ServerCallContext context)
        {
            holder.Adversary?.StalledSync();
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public override async Task<Block> GetProposedBlock(GetProposedBlockRequest request, ServerCallContext context)
        {
            holder.Adversary?.StalledFetch();
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw new RpcException(new Status(StatusCode.NotFound, "stalled"));
        }
    }
}
