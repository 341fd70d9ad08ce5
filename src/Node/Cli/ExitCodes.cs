namespace Ledger.Node.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The ledger refused the request (a rule's code is printed), or an audit found a discrepancy.</summary>
    public const int Refused = 1;
    /// <summary>The command line or an input file is wrong.</summary>
    public const int BadInput = 2;
    /// <summary>No node could be reached, or a node's answer failed its proof.</summary>
    public const int Unavailable = 3;
}
