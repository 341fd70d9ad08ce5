using Grpc.Core;
using Grpc.Net.Client;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Calls any method of the node with request bytes exactly as given: a pass-through marshaller, so
/// that the server's own deserializer is what meets garbage, truncation and wrong message types.
/// </summary>
public static class RawCalls
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Every RPC of ledger.v1.Ledger and ledger.v1.Consensus, and the health check beside them, with how it is called.</summary>
    public static IReadOnlyList<(string Service, string Method, MethodType Type)> Methods { get; } =
    [
        ("ledger.v1.Ledger", "Submit", MethodType.Unary),
        ("ledger.v1.Ledger", "GetTransaction", MethodType.Unary),
        ("ledger.v1.Ledger", "GetCertificate", MethodType.Unary),
        ("ledger.v1.Ledger", "GetConsignment", MethodType.Unary),
        ("ledger.v1.Ledger", "VerifyCertificate", MethodType.Unary),
        ("ledger.v1.Ledger", "GetBlock", MethodType.Unary),
        ("ledger.v1.Ledger", "StreamBlocks", MethodType.ServerStreaming),
        ("ledger.v1.Ledger", "GetStatus", MethodType.Unary),
        ("ledger.v1.Ledger", "GetProposal", MethodType.Unary),
        ("ledger.v1.Ledger", "ListProposals", MethodType.Unary),
        ("ledger.v1.Consensus", "Push", MethodType.ClientStreaming),
        ("ledger.v1.Consensus", "GetBlocks", MethodType.ServerStreaming),
        ("ledger.v1.Consensus", "GetProposedBlock", MethodType.Unary),
        ("grpc.health.v1.Health", "Check", MethodType.Unary),
    ];

    /// <summary>Sends <paramref name="request"/> as the method's (only, or first streamed) request, with <paramref name="headers"/>; fails unless it is refused.</summary>
    public static async Task<RpcException> FailAsync(GrpcChannel channel, string service, string method, MethodType type, byte[] request, Metadata? headers = null) =>
        await CallAsync(channel, service, method, type, request, headers)
            ?? throw new InvalidOperationException($"{service}/{method} accepted the request; it was expected to be refused");

    /// <summary>
    /// Sends <paramref name="request"/> as the method's (only, or first streamed) request, with <paramref name="headers"/>
    /// (the caller's identity, <see cref="BadInputNode.IdentityFor"/>): null if it was answered, else the refusal.
    /// </summary>
    public static async Task<RpcException?> CallAsync(GrpcChannel channel, string service, string method, MethodType type, byte[] request, Metadata? headers = null)
    {
        var invoker = channel.CreateCallInvoker();
        var descriptor = new Method<byte[], byte[]>(type, service, method, Bytes, Bytes);
        var options = new CallOptions(headers, deadline: DateTime.UtcNow.Add(CallTimeout));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(descriptor, null, options, request);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(descriptor, null, options, request))
                    {
                        // A well-formed StreamBlocks request would stream forever: the first answer is enough.
                        await call.ResponseStream.MoveNext(options.CancellationToken);
                    }
                    break;
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(descriptor, null, options))
                    {
                        try
                        {
                            await call.RequestStream.WriteAsync(request);
                            await call.RequestStream.CompleteAsync();
                        }
                        catch (RpcException)
                        {
                            // The server may end the call while the request is still being sent: its status is in the response.
                        }
                        await call.ResponseAsync;
                    }
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(type), type, "no such call shape here");
            }
        }
        catch (RpcException e)
        {
            return e;
        }
        return null;
    }
}
