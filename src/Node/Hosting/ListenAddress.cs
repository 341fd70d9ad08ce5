using System.Net;

namespace Ledger.Node.Hosting;

/// <summary>
/// Where a node listens, checked against its TLS: https needs a certificate, and plain http is for
/// loopback only, so that nothing leaves the machine unencrypted by a configuration slip.
/// </summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    /// <exception cref="InvalidDataException">The address is malformed or disagrees with the TLS section; the message says how.</exception>
    public static ListenAddress Of(NodeConfig config)
    {
        if (!Uri.TryCreate(config.Listen, UriKind.Absolute, out var uri) || !IPAddress.TryParse(uri.Host, out var address))
        {
            // A host name would leave the address bound to whatever the name resolves to at start: an IP address is asked for.
            throw new InvalidDataException(
                $"Listen: '{config.Listen}' is not of the form http://<IP address>:<port>; write e.g. http://127.0.0.1:7101 (https://<IP address>:<port> with a \"tls\" section)");
        }
        if (config.Tls is null)
        {
            if (uri.Scheme != Uri.UriSchemeHttp || !IPAddress.IsLoopback(address))
            {
                throw new InvalidDataException(
                    $"Listen: '{config.Listen}': without a \"tls\" section a node serves plain HTTP/2 on a loopback address only (http://127.0.0.1:PORT); add \"tls\" to listen on {uri.Host} with {uri.Scheme}");
            }
        }
        else if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidDataException($"Listen: '{config.Listen}': with a \"tls\" section the node serves https; write https://{uri.Authority}");
        }
        return new ListenAddress(address, uri.Port);
    }
}
