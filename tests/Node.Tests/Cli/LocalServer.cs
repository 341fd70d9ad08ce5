using System.Net;
using Ledger.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Tests.Cli;

/// <summary>
/// An HTTP/2 server on 127.0.0.1 that is not a ledger node: it answers every request 404, as another service on a
/// port given by mistake would; with <see cref="TlsConfig"/> it serves https with that certificate.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<LocalServer> StartAsync(TlsConfig? tls = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (tls is not null)
            {
                o.UseHttps(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile));
            }
        }));
        var app = builder.Build();
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new LocalServer(app, $"{(tls is null ? "http" : "https")}://127.0.0.1:{bound.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
