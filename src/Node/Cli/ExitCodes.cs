namespace Ledger.Node.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The ledger refused the request (a rule's code is printed), or an audit found a discrepancy.</summary>
    public const int Refused = 1;
    /// <summary>The command line, an input file, or a node's configuration, files, keys or data folder are wrong or unusable.</summary>
    public const int BadInput = 2;
    /// <summary>No node could be reached, or a node's answer failed its proof.</summary>
    public const int Unavailable = 3;
    /// <summary>An unexpected error: a bug. One line names it; --verbose prints its stack trace.</summary>
    public const int Internal = 4;
    /// <summary>
    /// A node found its database damaged and will not serve from it, nor start on it again: a person moves the damaged files
    /// aside (OPERATIONS.md, "A damaged database"). A service manager must not restart it (systemd: RestartPreventExitStatus=5).
    /// </summary>
    public const int StorageDamaged = 5;
    /// <summary>Stopped by Ctrl-C before it was done (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
