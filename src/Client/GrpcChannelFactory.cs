using Grpc.Core;
using Grpc.Net.Client;

namespace Ledger.Client;

/// <summary>
/// <see cref="GrpcChannel"/>s over HTTP/2, one per endpoint: https with the system's roots or a network's
/// own CA (<see cref="TlsTrust"/>), or plain http (devnet on loopback).
/// </summary>
public sealed class GrpcChannelFactory : ILedgerChannelFactory
{
    // A message bigger than a block with its proofs is not an answer we want to hold in memory.
    public const int ReceiveBytesMax = 64 * 1024 * 1024;
    private readonly string? _caPemFile;

    /// <param name="caPemFile">The CA that signs the nodes' certificates, or null for the system's roots.</param>
    public GrpcChannelFactory(string? caPemFile = null) => _caPemFile = caPemFile;

    public ChannelBase Create(string endpoint) =>
        GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = ReceiveBytesMax,
            HttpHandler = TlsTrust.Handler(_caPemFile),
            DisposeHttpClient = true,
        });
}
