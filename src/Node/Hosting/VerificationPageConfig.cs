using System.Net;

namespace Ledger.Node.Hosting;

/// <summary>
/// Where the node serves the public verification page and its JSON API (HTTP/1.1, https when the node has a "tls"
/// section), e.g. "127.0.0.1:7081"; no page without it. Public: it answers what VerifyCertificate answers anyone.
/// </summary>
public sealed record VerificationPageConfig(string Listen)
{
    /// <exception cref="InvalidDataException">Not an address and port.</exception>
    public IPEndPoint EndPoint() =>
        IPEndPoint.TryParse(Listen ?? "", out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new InvalidDataException($"VerificationPage:Listen '{Listen}' is not an IP address and port, e.g. 127.0.0.1:7081");
}
