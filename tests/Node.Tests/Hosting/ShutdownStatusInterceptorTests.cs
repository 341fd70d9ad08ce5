using Grpc.Core;
using Ledger.Node.Hosting;
using Microsoft.Extensions.Hosting;

namespace Ledger.Node.Tests.Hosting;

public sealed class ShutdownStatusInterceptorTests
{
    // The interceptor never reads the call's context.
    private static readonly ServerCallContext Context = null!;

    [Fact]
    public async Task Storage_closed_under_a_call_while_the_node_stops_is_answered_unavailable()
    {
        var lifetime = new Lifetime();
        await lifetime.Stopping.CancelAsync();
        var interceptor = new ShutdownStatusInterceptor(lifetime);

        var call = () => interceptor.UnaryServerHandler<string, string>("request", Context, (_, _) => throw new ObjectDisposedException("LiteDatabase"));

        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    [Fact]
    public async Task A_failure_while_the_node_runs_is_left_as_it_is()
    {
        var interceptor = new ShutdownStatusInterceptor(new Lifetime());

        var call = () => interceptor.UnaryServerHandler<string, string>("request", Context, (_, _) => throw new ObjectDisposedException("LiteDatabase"));

        await call.Should().ThrowAsync<ObjectDisposedException>();
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();
    }
}
