using System.Text.Json.Nodes;
using Ledger.Client;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>Prints governance proposals (gov propose, approve, show, list), for people or as JSON.</summary>
public static class ProposalView
{
    /// <summary>A committed proposal or approval, and where the proposal stands after it.</summary>
    public static int Committed(CliOutput output, string done, string proposalId, CommittedReceipt receipt, ProposalLookup after)
    {
        var txId = Convert.ToHexStringLower(receipt.Receipt.TxId.Span);
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["ok"] = true,
                ["action"] = done,
                ["proposalId"] = proposalId,
                ["applied"] = after.Proposal?.Applied ?? false,
                ["approvals"] = new JsonArray([.. (after.Proposal?.Approvals ?? []).Select(a => (JsonNode?)a)]),
                ["txId"] = txId,
                ["height"] = receipt.Height,
                ["position"] = receipt.Position,
                ["blockHash"] = Convert.ToHexStringLower(receipt.BlockHash.Span),
                ["trust"] = Texts.Trust(after.Trust),
            });
            return ExitCodes.Ok;
        }
        output.Line($"[green]{Markup.Escape(done)}[/]: {Markup.Escape(proposalId)}");
        if (after.Proposal is { } proposal)
        {
            output.Field("change", ChangeText.Describe(proposal.Change), 2);
            output.Field("state", State(proposal), 2);
        }
        output.Field("height", $"{receipt.Height} (position {receipt.Position})", 2);
        output.Field("tx id", txId, 2);
        return ExitCodes.Ok;
    }

    /// <summary>One proposal; exit 1 when there is none with the id (proven absent with a genesis).</summary>
    public static int Show(CliOutput output, ProposalLookup lookup)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["proposalId"] = lookup.ProposalId,
                ["found"] = lookup.Found,
                ["trust"] = Texts.Trust(lookup.Trust),
                ["provenAt"] = Texts.ProofJson(lookup.ProvenAt),
                ["kind"] = lookup.Proposal is null ? null : ChangeText.Kind(lookup.Proposal.Change),
                ["record"] = CliOutput.ProtoJson(lookup.Proposal),
            });
        }
        else if (lookup.Proposal is not { } proposal)
        {
            output.Line($"[red]no proposal {Markup.Escape(lookup.ProposalId)}[/]{(lookup.ProvenAt is null ? " (the node's word: not proven)" : ": its absence is proven")}");
        }
        else
        {
            output.Line($"[bold]proposal {Markup.Escape(proposal.Id)}[/]");
            output.Field("kind", ChangeText.Kind(proposal.Change), 2);
            output.Field("change", ChangeText.Describe(proposal.Change, fullKeys: true), 2);
            output.Field("reason", proposal.Reason.Length == 0 ? "-" : proposal.Reason, 2);
            output.Field("proposer", proposal.Proposer, 2);
            output.Field("approvals", string.Join(", ", proposal.Approvals), 2);
            output.Field("state", State(proposal), 2);
        }
        if (!output.Json)
        {
            output.Field("proof", lookup.ProvenAt is null ? "not proven: no genesis given" : Texts.Proof(lookup.ProvenAt), 2);
        }
        return lookup.Found ? ExitCodes.Ok : ExitCodes.Refused;
    }

    public static int List(CliOutput output, ProposalListing listing)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["pendingOnly"] = listing.PendingOnly,
                ["trust"] = Texts.Trust(listing.Trust),
                ["provenAt"] = Texts.ProofJson(listing.ProvenAt),
                ["proposals"] = new JsonArray([.. listing.Proposals.Select(p => (JsonNode?)new JsonObject
                {
                    ["proposalId"] = p.Id,
                    ["kind"] = ChangeText.Kind(p.Change),
                    ["applied"] = p.Applied,
                    ["proposer"] = p.Proposer,
                    ["approvals"] = new JsonArray([.. p.Approvals.Select(a => (JsonNode?)a)]),
                    ["record"] = CliOutput.ProtoJson(p),
                })]),
            });
            return ExitCodes.Ok;
        }
        if (listing.Proposals.Count == 0)
        {
            output.Line(listing.PendingOnly ? "no pending proposal" : "no proposal");
        }
        else
        {
            var table = new Table().AddColumns("proposal", "kind", "change", "proposer", "approvals", "state");
            foreach (var p in listing.Proposals)
            {
                table.AddRow(Cells(p.Id, ChangeText.Kind(p.Change), ChangeText.Describe(p.Change), p.Proposer, p.Approvals.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    p.Applied ? "applied" : "pending"));
            }
            output.Write(table);
        }
        output.Field("proof", listing.ProvenAt is null ? "not proven: no genesis given" : Texts.Proof(listing.ProvenAt));
        return ExitCodes.Ok;
    }

    private static string State(ProposalRecord proposal) => proposal.Applied
        ? "applied"
        : $"pending: approved by {proposal.Approvals.Count} ({string.Join(", ", proposal.Approvals)}); applies when more than two thirds of the governing organisations (chambers and customs, not suspended) approve";

    private static Markup[] Cells(params string[] texts) => [.. texts.Select(t => new Markup(Markup.Escape(t)))];
}
