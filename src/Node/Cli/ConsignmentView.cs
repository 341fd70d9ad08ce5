using System.Text.Json.Nodes;
using Ledger.Client;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>Prints a consignment: declaration, itinerary with the events recorded, seals, breaches, verdict, proof.</summary>
public static class ConsignmentView
{
    private static string CertificateText(Ledger.Client.CertificateVerification c) =>
        !c.Found ? $"{c.CertificateId} (not found)"
        : c.Status == CertificateStatus.Issued ? $"{c.CertificateId} (Issued)"
        : $"{c.CertificateId} ({Contracts.Certificates.CertificateStatusNames.Format(c.Status)}: {c.StatusReason})";

    /// <param name="certificates">The current status of each certificate the consignment links, in its order.</param>
    public static void Print(CliOutput output, ConsignmentLookup lookup, IReadOnlyList<Ledger.Client.CertificateVerification> certificates)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["consignmentId"] = lookup.ConsignmentId,
                ["found"] = lookup.Found,
                ["verdict"] = lookup.Verdict is { } v ? CertificateView.RouteJson(v) : null,
                ["trust"] = Texts.Trust(lookup.Trust),
                ["provenAt"] = Texts.ProofJson(lookup.ProvenAt),
                ["record"] = CliOutput.ProtoJson(lookup.Record),
                ["certificates"] = new JsonArray(certificates.Select(c => (JsonNode)new JsonObject
                {
                    ["certificateId"] = c.CertificateId,
                    ["status"] = c.Found ? Contracts.Certificates.CertificateStatusNames.Format(c.Status) : null,
                    ["statusReason"] = c.StatusReason,
                }).ToArray()),
            });
            return;
        }
        if (!lookup.Found || lookup.Record is null)
        {
            output.Line(lookup.IsProvenAbsent
                ? $"[red]no consignment {Markup.Escape(lookup.ConsignmentId)}[/]: its absence is proven"
                : $"[red]no consignment {Markup.Escape(lookup.ConsignmentId)}[/] (the node's word: not proven)");
        }
        else
        {
            var record = lookup.Record;
            var d = record.Declaration ?? new DeclareConsignment();
            var verdict = lookup.Verdict;
            output.Line($"[bold]{Markup.Escape(lookup.ConsignmentId)}[/]: {Markup.Escape(verdict is null ? "no verdict" : Texts.Verdict(verdict.Kind))}");
            output.Field("declared", $"by {record.DeclaredBy} at {Texts.Time(record.DeclaredAtMs)}", 2);
            output.Field("certificates", string.Join(", ", certificates.Select(CertificateText)), 2);
            output.Field("transport", $"{d.Mode}, vehicles {string.Join(", ", d.VehicleIds)}", 2);
            output.Field("seals", $"applied {string.Join(", ", d.Seals.Select(s => s.SealId))}; expected intact now {string.Join(", ", record.ActiveSeals)}", 2);
            output.Field("state", $"{(record.Closed ? "arrived (closed)" : "open")}{(record.CurrentGaugeMm > 0 ? $", on {record.CurrentGaugeMm} mm gauge" : "")}", 2);
            var table = new Table().AddColumns("#", "checkpoint", "window", "events recorded");
            for (var i = 0; i < d.Itinerary.Count; i++)
            {
                var stop = d.Itinerary[i];
                var events = record.Events.Where(e => e.Event.Checkpoint == stop.Checkpoint)
                    .Select(e => $"{e.Event.Kind} {Texts.Time(e.Event.OccurredAtMs)} by {e.RecordedBy}{(e.Event.GaugeAfterMm > 0 ? $" to {e.Event.GaugeAfterMm} mm" : "")}");
                var window = i == 0 ? "departure" : $"{Hours(stop.MinLegMs)}-{(stop.MaxLegMs > 0 ? Hours(stop.MaxLegMs) : "any")} h";
                table.AddRow(Markup.Escape((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), Markup.Escape(stop.Checkpoint),
                    Markup.Escape(window), Markup.Escape(string.Join("; ", events).OrDash()));
            }
            output.Write(table);
            foreach (var breach in (IEnumerable<RouteBreach>?)verdict?.Breaches ?? [])
            {
                output.Field("breach", $"{breach.Code} at {breach.Checkpoint} (height {breach.Height}): {breach.Message}", 2);
            }
        }
        output.Field("proof", lookup.Trust == AnswerTrust.Proven ? Texts.Proof(lookup.ProvenAt) : "not proven: no genesis given", 2);
    }

    private static string Hours(long ms) => (ms / 3_600_000.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string OrDash(this string text) => text.Length == 0 ? "-" : text;
}
