using System.Threading.Channels;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Network;

/// <summary>
/// One long-lived stream to one peer. Messages wait in a bounded outbox; when it is full the oldest
/// is dropped, which consensus tolerates (it retransmits). A broken stream is reopened with backoff.
/// </summary>
public sealed class PeerLink : IAsyncDisposable
{
    public const int OutboxMax = 20_000;
    public const int ReconnectBackoffMinMs = 100;
    public const int ReconnectBackoffMaxMs = 2_000;
    private readonly Channel<PeerEnvelope> _outbox = System.Threading.Channels.Channel.CreateBounded<PeerEnvelope>(
        new BoundedChannelOptions(OutboxMax) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Bytes waiting for a peer that is slow or down: a bound in bytes, since one gossip batch can be megabytes.</summary>
    public const long OutboxBytesMax = 64L * 1024 * 1024;
    private long _outboxBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _log;
    private readonly Task _pump;

    /// <param name="identity">Signs every call as this node (a validator, or a replica's member key); the peer refuses calls without.</param>
    /// <param name="caPemFile">The CA that signs the peers' TLS certificates, for https endpoints; null trusts the system's roots.</param>
    public PeerLink(int validatorIndex, string endpoint, Func<CallSigner?> identity, string? caPemFile, ILogger log)
    {
        ValidatorIndex = validatorIndex;
        Endpoint = endpoint;
        _log = log;
        Channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
            // The channel's own reconnect backoff (default: up to 120 s) fails every call fast until it expires,
            // so a validator back from a crash would go unheard for up to two minutes. Keep it within the link's.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(ReconnectBackoffMinMs),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(ReconnectBackoffMaxMs),
            HttpHandler = TlsTrust.Handler(caPemFile),
            DisposeHttpClient = true,
        });
        Client = new Ledger.Wire.Consensus.ConsensusClient(Channel.Intercept(new CallSigningInterceptor(identity)));
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    public int ValidatorIndex { get; }

    public string Endpoint { get; }

    public GrpcChannel Channel { get; }

    public Ledger.Wire.Consensus.ConsensusClient Client { get; }

    public bool Connected { get; private set; }

    /// <summary>Messages dropped because the outbox was full; consensus retransmits, gossip is best effort.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;
    private CancellationTokenSource? _stream;

    /// <summary>Closes the open stream, so the next is opened as whoever the identity names now (a replica that became a validator).</summary>
    public void Reopen() => Volatile.Read(ref _stream)?.Cancel();

    public void Send(PeerEnvelope envelope)
    {
        var size = envelope.CalculateSize();
        if (Interlocked.Add(ref _outboxBytes, size) > OutboxBytesMax || !_outbox.Writer.TryWrite(envelope))
        {
            Interlocked.Add(ref _outboxBytes, -size);
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var backoffMs = ReconnectBackoffMinMs;
        while (!ct.IsCancellationRequested)
        {
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Volatile.Write(ref _stream, stream);
            try
            {
                using var call = Client.Push(cancellationToken: stream.Token);
                await foreach (var envelope in _outbox.Reader.ReadAllAsync(stream.Token))
                {
                    Interlocked.Add(ref _outboxBytes, -envelope.CalculateSize());
                    await call.RequestStream.WriteAsync(envelope, stream.Token);
                    // Opening a stream does not connect: only a message written on it shows the link is up.
                    if (!Connected)
                    {
                        Connected = true;
                        backoffMs = ReconnectBackoffMinMs;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (stream.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                // Reopened on purpose: at once, with the identity of now.
                Connected = false;
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or HttpRequestException)
            {
                if (Connected)
                {
                    _log.LogInformation("Link to validator {Peer} at {Endpoint} broke: {Reason}", ValidatorIndex, Endpoint, e.Message);
                }
                Connected = false;
                await Task.Delay(backoffMs, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoffMs = Math.Min(backoffMs * 2, ReconnectBackoffMaxMs);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Channel.Dispose();
        _stop.Dispose();
    }
}
