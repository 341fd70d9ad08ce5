using System.CommandLine;
using Ledger.Client;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>`ledger route ...`: export customs declares a consignment, customs posts record checkpoint events, anyone reads the verdict.</summary>
public static class RouteCommands
{
    public static Command Route()
    {
        var route = new Command("route", "Consignments and their routes: declare, record checkpoint events, show the route verdict");
        route.Subcommands.Add(Declare());
        route.Subcommands.Add(Record());
        route.Subcommands.Add(Show());
        return route;
    }

    private static Command Declare()
    {
        var file = CertCommands.FileOption("--file", "DECL.json: the proto3 JSON mapping of ledger.v1.DeclareConsignment", required: true);
        var command = new Command("declare", "Declare a consignment: its certificates, vehicles, seals and itinerary (export customs)") { file };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var declaration = await InputFiles.ProtoJsonAsync<DeclareConsignment>(parse.GetValue(file)!, ct);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var customs = new ExportCustomsClient(session.Node, session.Signer());
            var receipt = await customs.DeclareConsignmentAsync(declaration, ct);
            return ReceiptView.Print(output, "declared", "consignmentId", declaration.ConsignmentId, receipt);
        });
        return command;
    }

    private static Command Record()
    {
        var file = CertCommands.FileOption("--file", "EVENT.json: the proto3 JSON mapping of ledger.v1.RecordCheckpointEvent", required: true);
        var command = new Command("record", "Record a checkpoint event with the seals observed (customs post)") { file };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var checkpointEvent = await InputFiles.ProtoJsonAsync<RecordCheckpointEvent>(parse.GetValue(file)!, ct);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var post = new CustomsPostClient(session.Node, session.Signer());
            var receipt = await post.RecordCheckpointEventAsync(checkpointEvent, ct);
            return ReceiptView.Print(output, $"recorded {checkpointEvent.Kind} at {checkpointEvent.Checkpoint}", "consignmentId", checkpointEvent.ConsignmentId, receipt);
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("ID") { Description = "The consignment id, e.g. CIM-SMGS-2026-00417" };
        var command = new Command("show", "A consignment, its events and route verdict; proven against a signed block when --genesis is given. Exit 1 when not found") { id };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var lookup = await session.Node.GetConsignmentAsync(parse.GetValue(id)!, requireProof: session.CanProve, ct);
            // The consignment record names its certificates, not their status: an annulment or suspension since the
            // declaration shows only in each certificate's own (proven) status.
            var statuses = new List<Ledger.Client.CertificateVerification>();
            foreach (var certificateId in lookup.Record?.Declaration?.CertificateIds ?? [])
            {
                statuses.Add(await session.Node.VerifyCertificateAsync(certificateId, null, requireProof: session.CanProve, ct));
            }
            ConsignmentView.Print(output, lookup, statuses);
            return lookup.Found ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }
}
