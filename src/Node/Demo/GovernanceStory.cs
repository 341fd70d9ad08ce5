using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using Spectre.Console;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Demo;

/// <summary>
/// The consortium changing on the ledger (issue 19): Uzbekistan's chamber is admitted by the governing members, CCPIT's
/// signing key is rotated with the new member's approval, and the old key's next signature is refused
/// <c>KEY_NOT_VALID_AT_TIME</c> while the new key signs. Returns the number of steps that did not turn out as told.
/// </summary>
public sealed class GovernanceStory
{
    public const string NewMember = "uz-chamber";
    private readonly IAnsiConsole _out;
    private int _failures;

    public GovernanceStory(IAnsiConsole console) => _out = console;

    /// <param name="signer">The genesis members' signers, by organisation.</param>
    /// <param name="certificate">A certificate of CCPIT's with the number given, to issue with the old and the new key.</param>
    public async Task<int> RunAsync(LedgerNodeClient node, Func<string, Task<MemberSigner>> signer, Func<string, Certificate> certificate, CancellationToken ct)
    {
        var atameken = new GovernanceClient(node, await signer(KzChamber));
        var approvers = new[] { new GovernanceClient(node, await signer(CnCustoms)), new GovernanceClient(node, await signer(KzCustoms)) };

        Step("9. Governance admits Uzbekistan's chamber: the Kazakh chamber proposes, both customs approve (3 of 4 governing members)");
        var newKeys = SignatureSuites.Generate(KeySuite.Ed25519);
        var newcomer = new Organisation { Id = NewMember, Name = "Chamber of Commerce and Industry of Uzbekistan", Country = "UZ", Roles = { Role.Chamber }, Keys = { newKeys.Public } };
        var admission = await atameken.ProposeAddOrganisationAsync(newcomer, "Uzbekistan joins the corridor", ct);
        Line($"proposal {admission.ProposalId[..12]}… committed at height {admission.Receipt.Height}: approved by kz-atameken alone, pending");
        await PassAsync(node, admission.ProposalId, approvers, ct);

        Step("10. CCPIT's signing key is rotated; the new member approves with its own key (4 of 5 governing members)");
        var ccpit = await signer(CnChamber);
        var rotatedKeys = SignatureSuites.Generate(KeySuite.Sm2Sm3);
        var rotation = await atameken.ProposeRotateKeyAsync(CnChamber, ccpit.PublicKey, rotatedKeys.Public, "yearly rotation of CCPIT's signing key", ct);
        await PassAsync(node, rotation.ProposalId, [.. approvers, new GovernanceClient(node, new MemberSigner(NewMember, newKeys, node.ChainId))], ct);
        var stamp = DateTimeOffset.UtcNow.ToString("HHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(() => new ChamberClient(node, ccpit).IssueAsync(certificate($"CCPIT-XJ-OLDKEY-{stamp}"), ct), RuleCatalog.KeyNotValidAtTime);
        await Expect(() => new ChamberClient(node, new MemberSigner(CnChamber, rotatedKeys, node.ChainId)).IssueAsync(certificate($"CCPIT-XJ-NEWKEY-{stamp}"), ct), RuleCatalog.Ok);
        return _failures;
    }

    /// <summary>Approves with each member in turn; checks, proven, that only the last approval applied the change.</summary>
    private async Task PassAsync(LedgerNodeClient node, string proposalId, IReadOnlyList<GovernanceClient> approvers, CancellationToken ct)
    {
        for (var i = 0; i < approvers.Count; i++)
        {
            await approvers[i].ApproveAsync(proposalId, ct);
            var after = await node.GetProposalAsync(proposalId, requireProof: true, ct);
            var applied = after.Proposal?.Applied == true;
            Check(applied == (i == approvers.Count - 1),
                $"{i + 2} approvals: {(applied ? "applied" : "pending")} (proven at block {after.ProvenAt?.Height})",
                $"{i + 2} approvals: applied = {applied}");
        }
    }

    private async Task Expect(Func<Task<CommittedReceipt>> submit, string code)
    {
        string what;
        string actual;
        try
        {
            var receipt = await submit();
            actual = receipt.Receipt.Code;
            what = $"committed at height {receipt.Height}";
        }
        catch (LedgerRefusedException e)
        {
            actual = e.Code;
            what = $"refused {e.Code}: {e.Reason}";
        }
        Check(actual == code, what, $"{what} (expected {code})");
    }

    private void Check(bool ok, string good, string bad)
    {
        _out.MarkupLine(ok ? $"   [green]✓[/] {Markup.Escape(good)}" : $"   [red]✗ {Markup.Escape(bad)}[/]");
        _failures += ok ? 0 : 1;
    }

    private void Step(string title) => _out.MarkupLine($"\n[bold yellow]{Markup.Escape(title)}[/]");

    private void Line(string text) => _out.MarkupLine($"   [grey]{Markup.Escape(text)}[/]");
}
