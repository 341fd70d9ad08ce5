using System.Net;
using System.Net.Sockets;

namespace Ledger.Node.Devnet;

/// <summary>Finds a run of consecutive free ports on 127.0.0.1, so that several networks (and tests) can run side by side.</summary>
public static class FreePorts
{
    /// <summary>The first port probed.</summary>
    public const int RangeStart = 20_000;

    /// <summary>
    /// Below Linux's ephemeral range (32768–60999 by default). A port found free is bound later, by a child process;
    /// in that range the source port of any outgoing connection could take it first (a soak once lost a node so:
    /// "Address already in use").
    /// </summary>
    public const int RangeEnd = 32_000;

    private static readonly Lock Gate = new();

    // Where this process probes next: it starts at a place that depends on the process, so that parallel runs
    // rarely probe the same ports first, and moves past every range handed out, so that two callers in one
    // process never get the same ports before either binds them.
    private static int _next = RangeStart + (Environment.ProcessId * 97 % (RangeEnd - RangeStart));

    public static int FindRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var span = RangeEnd - RangeStart - count;
        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var basePort = RangeStart + ((_next - RangeStart + (attempt * 131)) % span);
                if (Enumerable.Range(basePort, count).All(IsFree))
                {
                    _next = basePort + count;
                    return basePort;
                }
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports between {RangeStart} and {RangeEnd}");
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
