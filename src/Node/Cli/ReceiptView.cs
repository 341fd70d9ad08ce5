using System.Text.Json.Nodes;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>Prints a committed write: what was done, to what, at which height, by which transaction.</summary>
public static class ReceiptView
{
    public static int Print(CliOutput output, string done, string subjectKind, string subject, CommittedReceipt receipt)
    {
        var txId = Convert.ToHexStringLower(receipt.Receipt.TxId.Span);
        var blockHash = Convert.ToHexStringLower(receipt.BlockHash.Span);
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["ok"] = true,
                ["action"] = done,
                [subjectKind] = subject,
                ["txId"] = txId,
                ["height"] = receipt.Height,
                ["position"] = receipt.Position,
                ["blockHash"] = blockHash,
            });
            return ExitCodes.Ok;
        }
        // "done" is a phrase whole in itself, as the JSON's "action" carries it; the subject follows it on the line.
        output.Line($"[green]{Markup.Escape(done)}[/]: {Markup.Escape(subject)}");
        output.Field("height", $"{receipt.Height} (position {receipt.Position})", 2);
        output.Field("tx id", txId, 2);
        output.Field("block", blockHash, 2);
        return ExitCodes.Ok;
    }
}
