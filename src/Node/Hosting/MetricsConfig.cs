using System.Net;

namespace Ledger.Node.Hosting;

/// <summary>Where the node serves Prometheus metrics (HTTP/1.1, path /metrics), e.g. "127.0.0.1:9464"; no metrics endpoint without it.</summary>
public sealed record MetricsConfig(string Listen)
{
    /// <exception cref="InvalidDataException">Not an address and port.</exception>
    public IPEndPoint EndPoint() =>
        IPEndPoint.TryParse(Listen ?? "", out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new InvalidDataException($"Metrics:Listen '{Listen}' is not an IP address and port, e.g. 127.0.0.1:9464");
}
