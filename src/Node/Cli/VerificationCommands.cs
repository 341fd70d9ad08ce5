using System.CommandLine;
using Ledger.Client;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>
/// `ledger cert ask-verification` (import customs) and `cert answer-verification` (the issuer): the exchange whose
/// deadline suspends a certificate when unanswered (docs/PROTOCOL.md, "Verification deadlines").
/// </summary>
public static class VerificationCommands
{
    public static Command Ask()
    {
        var id = CertCommands.IdArgument();
        var reasons = new Option<string>("--reasons") { HelpName = "TEXT", Description = "Why verification is asked (recorded on the ledger)", Required = true };
        var command = new Command("ask-verification",
            "Ask the issuer to verify a certificate (import customs); its tx id is the request id, the network's deadline runs from its block") { id, reasons };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var customs = new ImportCustomsClient(session.Node, session.Signer());
            var receipt = await customs.RequestVerificationAsync(parse.GetValue(id)!, parse.GetValue(reasons)!, ct);
            return ReceiptView.Print(output, "verification asked", "certificateId", parse.GetValue(id)!, receipt);
        });
        return command;
    }

    public static Command Answer()
    {
        var id = CertCommands.IdArgument();
        var request = new Option<string>("--request") { HelpName = "TXID", Description = "The request's id: the tx id ask-verification printed", Required = true };
        var outcome = new Option<string>("--outcome") { HelpName = "confirmed|not-confirmed", Description = "NOT_CONFIRMED annuls the certificate", Required = true };
        outcome.AcceptOnlyFromAmong("confirmed", "not-confirmed");
        var remarks = new Option<string>("--remarks") { HelpName = "TEXT", Description = "The issuer's remarks (recorded on the ledger)", DefaultValueFactory = _ => "" };
        var command = new Command("answer-verification",
            "Answer a verification request (the issuer): not-confirmed annuls the certificate, confirmed lifts a suspension its deadline caused")
            { id, request, outcome, remarks };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var answer = parse.GetValue(outcome) == "confirmed" ? VerificationOutcome.Confirmed : VerificationOutcome.NotConfirmed;
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var chamber = new ChamberClient(session.Node, session.Signer());
            var receipt = await chamber.AnswerVerificationAsync(parse.GetValue(id)!, parse.GetValue(request)!, answer, parse.GetValue(remarks)!, ct);
            return ReceiptView.Print(output, answer == VerificationOutcome.Confirmed ? "verification confirmed" : "verification not confirmed",
                "certificateId", parse.GetValue(id)!, receipt);
        });
        return command;
    }
}
