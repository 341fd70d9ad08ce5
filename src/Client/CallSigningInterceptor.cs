using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Ledger.Client;

/// <summary>
/// Adds the identity headers of a <see cref="CallSigner"/> to every call on a channel. Streams from the
/// client have no single request: their headers sign an empty request, and the node checks them once,
/// when the stream opens.
/// </summary>
public sealed class CallSigningInterceptor : Interceptor
{
    private readonly Func<CallSigner?> _signer;

    public CallSigningInterceptor(CallSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _signer = () => signer;
    }

    /// <summary>Signs each call as whoever <paramref name="signer"/> names when the call starts (none: the call goes unsigned).</summary>
    public CallSigningInterceptor(Func<CallSigner?> signer) => _signer = signer;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(context, request as IMessage));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(context, request as IMessage));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(context, request as IMessage));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Signed(context, null));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Signed(context, null));

    private ClientInterceptorContext<TRequest, TResponse> Signed<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, IMessage? request)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }
        foreach (var entry in _signer()?.Headers(context.Method.FullName, request) ?? [])
        {
            headers.Add(entry);
        }
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
