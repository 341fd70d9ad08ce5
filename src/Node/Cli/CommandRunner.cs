using System.CommandLine;
using System.Text.Json.Nodes;
using Ledger.Client;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Cli;

/// <summary>
/// Runs a client command and turns what can go wrong into the exit codes of <see cref="ExitCodes"/>: a
/// refusal prints its rule code (1), bad input names the file or option (2), unreachable or lying nodes (3).
/// </summary>
public static class CommandRunner
{
    public static void SetAction(Command command, Func<ParseResult, bool> json, Func<ParseResult, CliOutput, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            var output = CliOutput.For(parse, json(parse));
            try
            {
                return await body(parse, output, ct);
            }
            catch (LedgerRefusedException e)
            {
                return Refused(output, e);
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded)
            {
                // A call made outside the client's retries (a block stream): the node went away or is too slow.
                output.Error.WriteLine($"no node could be reached: {e.Status.Detail}");
                return Fail(output, ExitCodes.Unavailable, "UNAVAILABLE", e.Status.Detail);
            }
            catch (Grpc.Core.RpcException e)
            {
                // A call made outside the client's retries (a block stream) refused by a rule: the same line as any refusal.
                return Refused(output, LedgerConnection.Refusal(e));
            }
            catch (CliInputException e)
            {
                output.Error.WriteLine(e.Message);
                return Fail(output, ExitCodes.BadInput, "BAD_INPUT", e.Message);
            }
            catch (UntrustedAnswerException e)
            {
                output.Error.WriteLine($"no node gave an answer that verifies: {e.Message}");
                return Fail(output, ExitCodes.Unavailable, "UNTRUSTED_ANSWER", e.Message);
            }
            catch (LedgerUnavailableException e)
            {
                output.Error.WriteLine($"no node could be reached: {e.Message}");
                return Fail(output, ExitCodes.Unavailable, "UNAVAILABLE", e.Message);
            }
            catch (TimeoutException e)
            {
                output.Error.WriteLine(e.Message);
                return Fail(output, ExitCodes.Unavailable, "TIMEOUT", e.Message);
            }
        });

    private static int Refused(CliOutput output, LedgerRefusedException e)
    {
        var committed = e.Receipt is { } r ? $" (committed with its refusal at height {r.Height}; this transaction id is used up)" : "";
        // The node names the metadata it missed; a person at the command line needs the option.
        var hint = e.Code == "IDENTITY_REQUIRED" ? $" (give --key FILE, a member key file, or set {CommonOptions.KeyVariable})" : "";
        output.Error.WriteLine($"refused {e.Code}: {e.Reason}{committed}{hint}");
        return Fail(output, ExitCodes.Refused, e.Code, e.Reason, e.TxId, e.Receipt?.Height);
    }

    private static int Fail(CliOutput output, int exitCode, string code, string message, Hash32? txId = null, ulong? height = null)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["ok"] = false,
                ["exitCode"] = exitCode,
                ["code"] = code,
                ["message"] = message,
                ["txId"] = txId?.ToString(),
                ["height"] = height,
            });
        }
        return exitCode;
    }
}
