using System.Text.Json;
using Google.Protobuf;
using Ledger.Contracts.Rules;
using Ledger.Node.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ledger.Node.Verification;

/// <summary>
/// The public verification page and its JSON API (docs/VERIFY.md, openapi.json), on a listener of their own. Every answer
/// carries its proof; the page checks it against the genesis it pins and trusts nothing else this node says. Read-only:
/// nothing a visitor sends reaches the ledger's state.
/// </summary>
public static class VerificationApi
{
    /// <summary>Longest certificate id or number the API takes (characters), as the gRPC service.</summary>
    public const int IdCharsMax = 256;

    private static readonly JsonFormatter Proto = new(JsonFormatter.Settings.Default);

    public static void MapVerificationPage(this WebApplication app, int port, byte[] genesisDocument)
    {
        // Matched by the port the request came in on, not by its Host header, which a reverse proxy in front rewrites.
        var page = app.MapGroup("").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.LocalPort == port ? await next(context) : Results.NotFound());
        var genesisHash = VerificationLink.GenesisHash(genesisDocument);
        page.MapGet("/", () => Asset("index.html"));
        page.MapGet("/offline.html", () => Results.Bytes(PageAssets.OfflinePage(), "text/html; charset=utf-8"));
        page.MapGet("/{file}", (string file) => Asset(file));
        page.MapGet("/api/v1/openapi.json", () => Asset("openapi.json"));
        // The exact bytes: the page hashes them and compares the hash with the one it pins.
        page.MapGet("/api/v1/genesis", () => Results.Bytes(genesisDocument, "application/json"));
        page.MapGet("/api/v1/certificates", (string? number, StateQueries queries) =>
            Checked(number, "number") is { } error ? error : Json(queries.Find(number!, withProof: true)));
        page.MapGet("/api/v1/certificates/{issuer}/{**number}", (string issuer, string number, StateQueries queries) =>
        {
            var id = Contracts.Certificates.CertificateIds.Of(issuer, number);
            return Checked(id, "certificate id") is { } error ? error : Json(queries.Verify(id, ByteString.Empty, withProof: true, withRecord: false));
        });
        page.MapGet("/api/v1/qr.svg", (string? cert, HttpRequest request) =>
            Checked(cert, "cert") is { } error ? error : Results.Text(QrImages.Svg(Link(request, genesisHash, cert!)), "image/svg+xml"));
        page.MapGet("/api/v1/qr.png", (string? cert, HttpRequest request) =>
            Checked(cert, "cert") is { } error ? error : Results.Bytes(QrImages.Png(Link(request, genesisHash, cert!)), "image/png"));
        // Only on the page's port: elsewhere unknown paths keep the answers of gRPC.
        app.MapFallback(() => Error(StatusCodes.Status404NotFound, "no such page or API path; the API is described at /api/v1/openapi.json"))
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Connection.LocalPort == port ? await next(context) : Results.NotFound());
    }

    /// <summary>The link to this page for a certificate, as the visitor reached the page.</summary>
    private static string Link(HttpRequest request, string genesisHash, string certificateId) =>
        VerificationLink.Of($"{request.Scheme}://{request.Host}/", genesisHash, certificateId);

    private static IResult Asset(string name) =>
        PageAssets.Get(name) is { } asset ? Results.Bytes(asset.Bytes, asset.ContentType)
            : Error(StatusCodes.Status404NotFound, $"the page has no file '{name}'");

    private static IResult? Checked(string? value, string what) =>
        string.IsNullOrEmpty(value) ? Error(StatusCodes.Status400BadRequest, $"{what} is required")
            : TextLength.Characters(value) > IdCharsMax ? Error(StatusCodes.Status400BadRequest, $"{what} is at most {IdCharsMax} characters")
            : null;

    private static IResult Json(IMessage message) => Results.Text(Proto.Format(message), "application/json; charset=utf-8");

    private static IResult Error(int status, string message) =>
        Results.Text(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }), "application/json; charset=utf-8", statusCode: status);
}
