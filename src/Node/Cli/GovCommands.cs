using System.CommandLine;
using Ledger.Client;
using Ledger.Contracts.Membership;

namespace Ledger.Node.Cli;

/// <summary>
/// `ledger gov ...`: governance of the membership, the registry and (with issue 19's validator half) the validator set.
/// A governing member (chamber or customs) proposes a change from a file and the others approve it; it applies in the
/// block where more than two thirds of the governing organisations have approved.
/// </summary>
public static class GovCommands
{
    public static Command Gov() => new("gov", "Governance: propose a membership, key, registry or validator change; approve it; show and list proposals")
    {
        Propose(), Approve(), Show(), List(),
    };

    private static Command Propose()
    {
        var file = new Argument<FileInfo>("CHANGE-FILE")
        {
            Description = "The change: proto3 JSON of ledger.v1.ProposeMembershipChange, keys as \"ed25519:<hex>\" allowed (docs/examples/gov-*.json)",
        };
        var reason = new Option<string?>("--reason") { HelpName = "TEXT", Description = "Why (recorded on the ledger); replaces the file's \"reason\"" };
        var command = new Command("propose", "Propose a change (chamber or customs); prints the proposal id, which the other members approve") { file, reason };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var proposal = await ChangeFiles.ReadAsync(parse.GetValue(file)!, ct);
            proposal.Reason = parse.GetValue(reason) ?? proposal.Reason;
            if (string.IsNullOrWhiteSpace(proposal.Reason))
            {
                throw new CliInputException($"{parse.GetValue(file)!.FullName}: a proposal needs a reason, for the record: give --reason TEXT or \"reason\" in the file");
            }
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var governance = new GovernanceClient(session.Node, session.Signer());
            var submitted = await governance.ProposeAsync(proposal.Change, proposal.Reason, ct);
            var after = await session.Node.GetProposalAsync(submitted.ProposalId, session.CanProve, ct);
            return ProposalView.Committed(output, $"proposed {ChangeText.Kind(proposal.Change)}", submitted.ProposalId, submitted.Receipt, after);
        });
        return command;
    }

    private static Command Approve()
    {
        var id = IdArgument();
        var command = new Command("approve", "Approve a pending proposal (chamber or customs); it applies once more than two thirds have approved") { id };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var proposalId = ProposalId(parse.GetValue(id)!);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var receipt = await new GovernanceClient(session.Node, session.Signer()).ApproveAsync(proposalId, ct);
            var after = await session.Node.GetProposalAsync(proposalId, session.CanProve, ct);
            return ProposalView.Committed(output, after.Proposal?.Applied == true ? "approved and applied" : "approved", proposalId, receipt, after);
        });
        return command;
    }

    private static Command Show()
    {
        var id = IdArgument();
        var command = new Command("show", "A proposal: its change, reason, approvals and whether it applied; proven when --genesis is given. Exit 1 when there is none") { id };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var proposalId = ProposalId(parse.GetValue(id)!);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            return ProposalView.Show(output, await session.Node.GetProposalAsync(proposalId, session.CanProve, ct));
        });
        return command;
    }

    private static Command List()
    {
        var pending = new Option<bool>("--pending") { Description = "Only proposals not yet applied" };
        var command = new Command("list", "Every proposal in the order proposed; proven complete when --genesis is given") { pending };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            return ProposalView.List(output, await session.Node.ListProposalsAsync(parse.GetValue(pending), session.CanProve, ct));
        });
        return command;
    }

    private static Argument<string> IdArgument() => new("PROPOSAL-ID") { Description = "The proposal's id: the 64 hex characters `gov propose` and `gov list` print" };

    private static string ProposalId(string text)
    {
        var id = text.Trim().ToLowerInvariant();
        return ProposalIds.IsValid(id) ? id : throw new CliInputException($"proposal id '{text}' is not the 64 hex characters `gov propose` and `gov list` print");
    }
}
