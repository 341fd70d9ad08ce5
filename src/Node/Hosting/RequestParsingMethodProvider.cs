using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Ledger.Node.Hosting;

/// <summary>
/// Binds a generated gRPC service as grpc-dotnet's own binder does (the static method its
/// <see cref="BindServiceMethodAttribute"/> names, one endpoint per method, the type's and method's
/// attributes as endpoint metadata), but with request deserializers that answer bytes that are no
/// message of the request type with InvalidArgument. grpc-dotnet reads a unary or server-streaming
/// request before any interceptor runs and reports a parse failure as Unknown, "Exception was thrown
/// by handler", which tells a client nothing and reads like a bug of the node.
/// </summary>
public sealed class RequestParsingMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = BindAttribute(typeof(TService));
        if (bind is null)
        {
            return;
        }
        var method = bind.BindType.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == bind.BindMethodName && m.GetParameters() is [var binder, _] && binder.ParameterType == typeof(ServiceBinderBase));
        // The generated method takes the implementation only to build bound delegates; with null it passes none.
        method.Invoke(null, [new Binder(context), null]);
    }

    private static BindServiceMethodAttribute? BindAttribute(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute;
            }
        }
        return null;
    }

    /// <summary>The request parsed by the method's own deserializer; a parse failure becomes InvalidArgument naming the method.</summary>
    private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var request = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"the request to {method.FullName} is not a valid {typeof(TRequest).Name} message: {e.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, request, method.ResponseMarshaller);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Checked(method), Metadata(method.Name, out var target, typeof(TRequest), typeof(ServerCallContext)),
                target.CreateDelegate<UnaryServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Checked(method), Metadata(method.Name, out var target, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)),
                target.CreateDelegate<ClientStreamingServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Checked(method), Metadata(method.Name, out var target, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                target.CreateDelegate<ServerStreamingServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Checked(method), Metadata(method.Name, out var target, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                target.CreateDelegate<DuplexStreamingServerMethod<TService, TRequest, TResponse>>());

        /// <summary>The service's implementation of the method, and its attributes (authorization, CORS) as endpoint metadata.</summary>
        private static List<object> Metadata(string name, out MethodInfo target, params Type[] parameters)
        {
            target = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name} for its gRPC binding");
            return [.. typeof(TService).GetCustomAttributes(inherit: true), .. target.GetCustomAttributes(inherit: true)];
        }
    }
}
