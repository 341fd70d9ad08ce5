using Ledger.Contracts.Crypto;

namespace Ledger.Node.Cli;

/// <summary>
/// How a failed command ends: its exit code, a stable code for scripts, the one line printed on stderr, and the
/// sentence the JSON answer carries (the line without its prefix).
/// </summary>
public sealed record CliFailure(int ExitCode, string Code, string Line, string Message, Hash32? TxId = null, ulong? Height = null)
{
    public static CliFailure BadInput(string code, string message) => new(ExitCodes.BadInput, code, message, message);
}
