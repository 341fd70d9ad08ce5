using System.Net;
using System.Net.Sockets;

namespace Ledger.Node.Hosting;

/// <summary>
/// Whether a port the node is about to serve on is free. Kestrel reports a taken port too, but its host first logs the
/// failure with a stack trace; asked here first, the operator gets one line naming the setting.
/// </summary>
public static class PortCheck
{
    /// <exception cref="IOException">Something listens there already; the message names the setting and the address.</exception>
    public static void ThrowIfTaken(string key, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse)
        {
            throw new IOException($"{key}: {endpoint} is in use by another process (another node?); stop it or give another port", e);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable)
        {
            throw new IOException($"{key}: {endpoint.Address} is no address of this machine; give one of its own", e);
        }
    }
}
