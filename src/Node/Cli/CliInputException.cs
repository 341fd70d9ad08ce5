namespace Ledger.Node.Cli;

/// <summary>The command line or an input file is wrong; the message says which and why. Exit code 2.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
