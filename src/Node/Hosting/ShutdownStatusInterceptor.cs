using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;

namespace Ledger.Node.Hosting;

/// <summary>
/// A call still running when the node stops may find its storage closed under it. Whatever that throws, the
/// client is told what happened — Unavailable, "use another node" — not Internal. Failures while the node
/// runs are left as they are.
/// </summary>
public sealed class ShutdownStatusInterceptor(IHostApplicationLifetime lifetime) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (IsCutByShutdown(e))
        {
            throw ShuttingDown();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (IsCutByShutdown(e))
        {
            throw ShuttingDown();
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (IsCutByShutdown(e))
        {
            throw ShuttingDown();
        }
    }

    private bool IsCutByShutdown(Exception e) => e is not RpcException && lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>What a client is told by a node that is stopping.</summary>
    internal static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "the node is shutting down: use another node, or retry once it is back"));
}
