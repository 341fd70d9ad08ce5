using Grpc.Core;
using Grpc.Net.Client;

namespace Ledger.Client;

/// <summary>Plain <see cref="GrpcChannel"/>s over HTTP/2, one per endpoint.</summary>
public sealed class GrpcChannelFactory : ILedgerChannelFactory
{
    // A message bigger than a block with its proofs is not an answer we want to hold in memory.
    public const int ReceiveBytesMax = 64 * 1024 * 1024;

    public ChannelBase Create(string endpoint) =>
        GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = ReceiveBytesMax });
}
