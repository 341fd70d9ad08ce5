using System.Globalization;
using System.Text.Json.Nodes;
using Ledger.Client;
using Ledger.Contracts.Certificates;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>Prints a certificate's record (cert show) and a verification (cert verify), for people or as JSON.</summary>
public static class CertificateView
{
    public static void Record(CliOutput output, CertificateRecord record)
    {
        var c = record.Certificate ?? new Certificate();
        output.Line($"[bold]{Markup.Escape(record.Id)}[/]");
        output.Field("status", Status(record.Status, record.StatusReason), 2);
        output.Field("issuer", record.Issuer, 2);
        output.Field("number", c.Number, 2);
        output.Field("form", c.FormType, 2);
        output.Field("issued", Texts.Time(c.IssuedAtMs) + (c.Retrospective ? " (issued retrospectively)" : ""), 2);
        output.Field("exporter", PartyText(c.Exporter), 2);
        if (c.Producer is not null)
        {
            output.Field("producer", PartyText(c.Producer), 2);
        }
        output.Field("consignee", PartyText(c.Consignee), 2);
        output.Field("countries", $"{c.ExportCountry} -> {c.ImportCountry}", 2);
        if (c.Transport is { } t)
        {
            output.Field("transport", $"{t.Mode}, departing {Texts.Time(t.DepartureMs)}, {t.Route}{(t.VehicleIds.Count > 0 ? $", vehicles {string.Join(", ", t.VehicleIds)}" : "")}", 2);
        }
        output.Field("invoice", $"{c.InvoiceNumber} of {Texts.Time(c.InvoiceDateMs)}", 2);
        output.Field("content hash", Texts.Hex(c.ContentHash), 2);
        var goods = new Table().AddColumns("item", "HS code", "description", "quantity", "remaining", "unit", "gross kg", "criterion");
        for (var i = 0; i < c.Goods.Count; i++)
        {
            var g = c.Goods[i];
            var remaining = i < record.RemainingMilli.Count ? Milli(record.RemainingMilli[i]) : "-";
            goods.AddRow(Cells(g.ItemNo.ToString(CultureInfo.InvariantCulture), g.HsCode, g.Description, Milli(g.QuantityMilli), remaining, g.Unit,
                (g.GrossWeightGrams / 1000.0).ToString("0.###", CultureInfo.InvariantCulture), g.OriginCriterion));
        }
        output.Write(goods);
        Optional(output, "replaces", record.Replaces);
        Optional(output, "replaced by", record.ReplacedBy);
        Optional(output, "duplicate of", record.DuplicateOf);
        Optional(output, "duplicates", string.Join(", ", record.Duplicates));
        Optional(output, "consignments", string.Join(", ", record.Consignments));
        foreach (var use in record.Uses)
        {
            output.Field("use", $"declaration {use.DeclarationNumber} by {use.RecordedBy} at {Texts.Time(use.RecordedAtMs)}: {string.Join(", ", use.Lines.Select(l => $"item {l.ItemNo} {Milli(l.QuantityMilli)}"))}", 2);
        }
        foreach (var v in record.Verifications)
        {
            output.Field("verification", VerificationText(v), 2);
        }
        output.Field("issued by tx", $"{Texts.Hex(record.IssuedTxId)} at height {record.IssuedHeight}", 2);
    }

    /// <summary>A request with its deadline and what became of it: answered, lapsed (the block that suspended the certificate), or open.</summary>
    private static string VerificationText(VerificationRecord v)
    {
        var deadline = v.DeadlineMs > 0 ? $", deadline {Texts.Time(v.DeadlineMs)}" : "";
        var lapsed = v.LapsedHeight > 0 ? $"; deadline passed unanswered at height {v.LapsedHeight}" : "";
        var answer = v.Outcome == VerificationOutcome.Unspecified ? "not answered" : $"{v.Outcome}: {v.Remarks}";
        return $"{v.RequestId[..Math.Min(12, v.RequestId.Length)]} asked by {v.RequestedBy}{deadline}: {v.Reasons}{lapsed}; {answer}";
    }

    /// <summary>Prints a verification; returns the exit code: 0 when found, active and the document (if given) matches.</summary>
    public static int Verification(CliOutput output, Ledger.Client.CertificateVerification v, bool documentGiven)
    {
        var accepted = v.IsActive && v.ContentHash != ContentHashCheck.Mismatch;
        var exitCode = accepted ? ExitCodes.Ok : ExitCodes.Refused;
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["certificateId"] = v.CertificateId,
                ["found"] = v.Found,
                ["active"] = v.IsActive,
                ["accepted"] = accepted,
                ["status"] = v.Found ? CertificateStatusNames.Format(v.Status) : null,
                ["statusReason"] = v.StatusReason,
                ["replacedBy"] = v.ReplacedBy,
                ["replaces"] = v.Replaces,
                ["issuer"] = v.Issuer,
                ["issuerName"] = v.IssuerName,
                ["issuerCountry"] = v.IssuerCountry,
                ["contentHash"] = documentGiven ? v.ContentHash.ToString() : "NotChecked",
                ["consignments"] = new JsonArray(v.Consignments.Select(RouteJson).ToArray<JsonNode?>()),
                ["trust"] = Texts.Trust(v.Trust),
                ["provenAt"] = Texts.ProofJson(v.ProvenAt),
            });
            return exitCode;
        }
        if (!v.Found)
        {
            output.Line(v.IsProvenAbsent
                ? $"[red]no certificate {Markup.Escape(v.CertificateId)}[/]: its absence is proven (an id is \"<issuer>/<number>\"; a number alone is looked up at every issuer)"
                : $"[red]no certificate {Markup.Escape(v.CertificateId)}[/] (the node's word: not proven)");
        }
        else
        {
            output.Line($"[bold]{Markup.Escape(v.CertificateId)}[/]: {(accepted ? "[green]accepted[/]" : "[red]not accepted[/]")}");
            output.Field("status", Status(v.Status, v.StatusReason), 2);
            if (v.ReplacedBy.Length > 0)
            {
                output.Field("replaced by", v.ReplacedBy, 2);
            }
            if (v.Replaces.Length > 0)
            {
                output.Field("replaces", v.Replaces, 2);
            }
            output.Field("issuer", $"{v.Issuer}, {v.IssuerName} ({v.IssuerCountry})", 2);
            output.Field("document", documentGiven ? $"content hash {Texts.HashCheck(v.ContentHash)}" : "not checked (give --document FILE)", 2);
            if (v.Consignments.Count == 0)
            {
                output.Field("consignments", "none declared", 2);
            }
            foreach (var route in v.Consignments)
            {
                output.Field($"consignment {route.ConsignmentId}", Texts.Verdict(route.Kind), 2);
                foreach (var breach in route.Breaches)
                {
                    output.Field("breach", $"{breach.Code} at {breach.Checkpoint} (height {breach.Height}): {breach.Message}", 4);
                }
            }
        }
        output.Field("proof", v.Trust == AnswerTrust.Proven ? Texts.Proof(v.ProvenAt) : "not proven: no genesis given", 2);
        return exitCode;
    }

    /// <summary>Prints a search by number that did not find exactly one certificate; returns exit code 1.</summary>
    public static int Search(CliOutput output, Ledger.Client.CertificateSearch search)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["number"] = search.Number,
                ["certificateIds"] = new JsonArray(search.CertificateIds.Select(i => (JsonNode?)i).ToArray()),
                ["trust"] = Texts.Trust(search.Trust),
                ["provenAt"] = Texts.ProofJson(search.ProvenAt),
            });
            return ExitCodes.Refused;
        }
        var proven = search.Trust == AnswerTrust.Proven;
        if (search.CertificateIds.Count == 0)
        {
            output.Line($"[red]no certificate numbered {Markup.Escape(search.Number)} at any issuer[/]{(proven ? ": its absence is proven for every organisation" : " (the node's word: not proven)")}");
        }
        else
        {
            output.Line($"[yellow]{search.CertificateIds.Count} issuers have a certificate numbered {Markup.Escape(search.Number)}[/]: verify one by its id");
            foreach (var certificateId in search.CertificateIds)
            {
                output.Field("id", certificateId, 2);
            }
        }
        output.Field("proof", proven ? Texts.Proof(search.ProvenAt) : "not proven: no genesis given", 2);
        return ExitCodes.Refused;
    }

    public static JsonObject RouteJson(RouteVerdictInfo route) => new()
    {
        ["consignmentId"] = route.ConsignmentId,
        ["verdict"] = route.Kind.ToString(),
        ["breaches"] = new JsonArray(route.Breaches.Select(b => (JsonNode?)new JsonObject
        {
            ["code"] = b.Code,
            ["checkpoint"] = b.Checkpoint,
            ["height"] = b.Height,
            ["message"] = b.Message,
        }).ToArray()),
    };

    private static string Status(CertificateStatus status, string reason) =>
        CertificateStatusNames.Format(status) + (string.IsNullOrEmpty(reason) ? "" : $": {reason}");

    private static string PartyText(Party? p) => p is null ? "-" : $"{p.Name}, {p.Address} ({p.Country})";

    private static string Milli(long milli) => (milli / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    private static void Optional(CliOutput output, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.Field(name, value, 2);
        }
    }

    private static string[] Cells(params string[] values) => values.Select(Markup.Escape).ToArray();
}
