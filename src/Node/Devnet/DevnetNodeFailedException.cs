namespace Ledger.Node.Devnet;

/// <summary>
/// A node of a devnet exited on its own: it could not start or run (its data folder in use, a port taken, a bad
/// configuration). Carries the node's own one-line reason and exit code, which devnet passes on.
/// </summary>
public sealed class DevnetNodeFailedException : Exception
{
    public DevnetNodeFailedException(string node, int nodeExitCode, string? reason)
        : base($"{node} exited with code {nodeExitCode}: {reason ?? "no reason given"}; the other nodes were stopped")
    {
        Node = node;
        NodeExitCode = nodeExitCode;
    }

    public string Node { get; }

    public int NodeExitCode { get; }
}
