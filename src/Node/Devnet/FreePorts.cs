using System.Net;
using System.Net.Sockets;

namespace Ledger.Node.Devnet;

/// <summary>Finds a run of consecutive free ports on 127.0.0.1, so that several networks (and tests) can run side by side.</summary>
public static class FreePorts
{
    public static int FindRange(int count, int from = 20_000, int to = 60_000)
    {
        // Start somewhere that depends on the process, so parallel runs rarely probe the same ports first.
        var span = to - from - count;
        var start = from + (Environment.ProcessId * 97 % span);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var basePort = from + ((start - from + (attempt * 131)) % span);
            if (Enumerable.Range(basePort, count).All(IsFree))
            {
                return basePort;
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports between {from} and {to}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
