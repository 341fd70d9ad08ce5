using System.Security.Cryptography;
using Grpc.Core;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Node.Devnet;
using Ledger.Node.Storage;
using Microsoft.Extensions.Options;

namespace Ledger.Node.Cli;

/// <summary>
/// What every command's failure becomes: one line on stderr (and one JSON object with --json) and the documented
/// exit code of <see cref="ExitCodes"/>. Failures a person causes or can fix (configuration, files, keys, network,
/// TLS trust, refusals) are named by what they are, their stack trace printed only with --verbose; anything else is
/// a bug, named in one line followed by its stack trace, to be reported.
/// </summary>
public static class ErrorBoundary
{
    public static CliFailure Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            LedgerRefusedException e => Refused(e),
            RpcException e when NodeFailureException.IsNotALedgerNode(e) => Unreachable([NodeFailureException.Of("the node", e)]),
            RpcException e when e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
                Unreachable([NodeFailureException.Of("the node", e)]),
            // A call made outside the client's retries (the audit's block stream) refused by a rule: the same line as any refusal.
            RpcException e => Refused(LedgerConnection.Refusal(e)),
            LedgerUnavailableException e => Unreachable(e.Failures.OfType<NodeFailureException>().ToArray(), e.Message),
            UntrustedAnswerException e => new(ExitCodes.Unavailable, "UNTRUSTED_ANSWER", $"no node gave an answer that verifies: {e.Message}", e.Message),
            TimeoutException e => new(ExitCodes.Unavailable, "TIMEOUT", e.Message, e.Message),
            OptionsValidationException e => CliFailure.BadInput("CONFIG_INVALID", string.Join("; ", e.Failures)),
            CliInputException e => CliFailure.BadInput("BAD_INPUT", e.Message),
            // A node's failure is devnet's, with the node's exit code (a node that stopped by itself with 0 still broke the network).
            DevnetNodeFailedException e => new(e.NodeExitCode > 0 ? e.NodeExitCode : ExitCodes.Internal, "NODE_FAILED", $"devnet: {e.Message}", e.Message),
            KeyFileException e => CliFailure.BadInput("KEY_FILE", e.Message),
            GenesisException e => CliFailure.BadInput("GENESIS", e.Message),
            StorageDamagedException e => new(ExitCodes.StorageDamaged, "STORAGE_DAMAGED", e.Message, e.Message),
            StorageException e => CliFailure.BadInput("STORAGE", e.Message),
            CryptographicException e => CliFailure.BadInput("CRYPTO", e.Message),
            InvalidDataException e => CliFailure.BadInput("BAD_INPUT", e.Message),
            // Files and folders: missing, unreadable, unwritable, a port taken (Kestrel reports it as an IOException).
            IOException or UnauthorizedAccessException => CliFailure.BadInput("IO", failure.Message),
            OperationCanceledException => new(ExitCodes.Cancelled, "CANCELLED", "cancelled", "cancelled"),
            _ => new(ExitCodes.Internal, "INTERNAL", $"internal error, a bug: {failure.GetType().Name}: {failure.Message} (please report it with the stack trace below)", failure.Message),
        };
    }

    /// <summary>Writes <paramref name="failure"/>'s line, its JSON object if asked for, and the stack trace with --verbose; returns the exit code.</summary>
    public static int Report(Exception failure, CliOutput output, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(output);
        var described = Describe(failure);
        output.Error.WriteLine(described.Line);
        // A bug is no mistake of the person's: its trace is what they can hand on, and a node that ran for days cannot
        // simply be run again with --verbose to get it.
        if (verbose || described.ExitCode == ExitCodes.Internal)
        {
            output.Error.WriteLine(failure.ToString());
        }
        Write(output, described);
        return described.ExitCode;
    }

    /// <summary>The JSON object of a failure, with --json; nothing otherwise.</summary>
    public static void Write(CliOutput output, CliFailure failure)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(failure);
        if (output.Json)
        {
            output.WriteJson(new System.Text.Json.Nodes.JsonObject
            {
                ["ok"] = false,
                ["exitCode"] = failure.ExitCode,
                ["code"] = failure.Code,
                ["message"] = failure.Message,
                ["txId"] = failure.TxId?.ToString(),
                ["height"] = failure.Height,
            });
        }
    }

    private static CliFailure Refused(LedgerRefusedException e)
    {
        var committed = e.Receipt is { } r ? $" (committed with its refusal at height {r.Height}; this transaction id is used up)" : "";
        // The node names the metadata it missed; a person at the command line needs the option.
        var hint = e.Code == "IDENTITY_REQUIRED" ? $" (give --key FILE, a member key file, or set {CommonOptions.KeyVariable})" : "";
        var reason = RefusalText.ForPeople(e.Code, e.Reason);
        return new(ExitCodes.Refused, e.Code, $"refused {e.Code}: {reason}{committed}{hint}", reason, e.TxId, e.Receipt?.Height);
    }

    // What a person can do differs: give the CA, fix the address, or wait for the network.
    private static CliFailure Unreachable(IReadOnlyList<NodeFailureException> failures, string? fallback = null)
    {
        if (failures.FirstOrDefault(f => f.Kind == NodeFailureKind.CertificateNotTrusted) is { } tls)
        {
            var line = $"{tls.Message}; give --ca FILE, the PEM of the CA that signs the nodes' certificates (or set {CommonOptions.CaVariable})";
            return new(ExitCodes.Unavailable, "CERTIFICATE_NOT_TRUSTED", line, line);
        }
        var byNode = failures.GroupBy(f => f.Endpoint).Select(g => g.Last()).ToArray();
        if (byNode.Length > 0 && byNode.All(f => f.Kind == NodeFailureKind.NotALedgerNode))
        {
            var line = $"{string.Join("; ", byNode.Select(f => f.Message))}; check --node (or {CommonOptions.NodeVariable})";
            return new(ExitCodes.Unavailable, "NOT_A_LEDGER_NODE", line, line);
        }
        var what = byNode.Length > 0 ? string.Join("; ", byNode.Select(f => f.Message)) : fallback ?? "no answer";
        return new(ExitCodes.Unavailable, "UNAVAILABLE", $"no node could be reached: {what}", what);
    }
}
