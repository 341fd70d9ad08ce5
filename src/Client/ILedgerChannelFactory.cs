using Grpc.Core;

namespace Ledger.Client;

/// <summary>
/// Opens the gRPC channel to one endpoint. The default uses <c>GrpcChannel.ForAddress</c>; tests and hosts
/// with their own HTTP stack (proxies, client certificates, in-process servers) supply another.
/// </summary>
public interface ILedgerChannelFactory
{
    ChannelBase Create(string endpoint);
}
