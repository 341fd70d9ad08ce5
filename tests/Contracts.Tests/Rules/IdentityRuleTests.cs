using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

public sealed class IdentityRuleTests
{
    private const string Number = "CN-2026-0100";
    private const string CertId = CnChamber + "/" + Number;

    /// <summary>Every kind with an empty message: enough to reach the identity rules, which come first.</summary>
    private static readonly Dictionary<TxBody.KindOneofCase, Action<TxBody>> EmptyKinds = new()
    {
        [TxBody.KindOneofCase.ProposeMembershipChange] = b => b.ProposeMembershipChange = new ProposeMembershipChange(),
        [TxBody.KindOneofCase.ApproveMembershipChange] = b => b.ApproveMembershipChange = new ApproveMembershipChange(),
        [TxBody.KindOneofCase.IssueCertificate] = b => b.IssueCertificate = new IssueCertificate(),
        [TxBody.KindOneofCase.ReplaceCertificate] = b => b.ReplaceCertificate = new ReplaceCertificate(),
        [TxBody.KindOneofCase.RevokeCertificate] = b => b.RevokeCertificate = new RevokeCertificate(),
        [TxBody.KindOneofCase.SuspendCertificate] = b => b.SuspendCertificate = new SuspendCertificate(),
        [TxBody.KindOneofCase.ReinstateCertificate] = b => b.ReinstateCertificate = new ReinstateCertificate(),
        [TxBody.KindOneofCase.IssueDuplicate] = b => b.IssueDuplicate = new IssueDuplicate(),
        [TxBody.KindOneofCase.RecordUse] = b => b.RecordUse = new RecordUse(),
        [TxBody.KindOneofCase.RequestVerification] = b => b.RequestVerification = new RequestVerification(),
        [TxBody.KindOneofCase.AnswerVerification] = b => b.AnswerVerification = new AnswerVerification(),
        [TxBody.KindOneofCase.DeclareConsignment] = b => b.DeclareConsignment = new DeclareConsignment(),
        [TxBody.KindOneofCase.RecordCheckpointEvent] = b => b.RecordCheckpointEvent = new RecordCheckpointEvent(),
    };

    private static Action<TxBody> Issue(TestLedger ledger) =>
        b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(Number, ledger.TimeMs) };

    [Fact]
    public void A_signer_organisation_that_is_no_member_is_refused()
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused("ru-chamber", Issue(ledger), RuleCatalog.SignerUnknown, "signer_org", "ru-chamber");

        ledger.State.Certificate(CertId).Should().BeNull();
    }

    [Fact]
    public void A_key_of_another_organisation_is_refused()
    {
        var ledger = new TestLedger();
        var body = TestLedger.Body(CnChamber, Issue(ledger));
        body.SignerKey = KeyOf(KzChamber);

        ledger.ExecuteRefused(body, RuleCatalog.SignerUnknown, "signer_key", CnChamber);

        ledger.State.Certificate(CertId).Should().BeNull();
    }

    [Fact]
    public void A_key_rotated_away_by_governance_is_not_valid_from_the_rotation_on_and_the_new_key_signs()
    {
        var ledger = new TestLedger();
        GovernanceSteps.Pass(ledger, GovernanceSteps.Rotate(CnChamber, 0, 1));

        ledger.SubmitRefused(CnChamber, Issue(ledger), RuleCatalog.KeyNotValidAtTime, "signer_key", CnChamber);
        ledger.State.Certificate(CertId).Should().BeNull();

        ledger.SubmitOk(CnChamber, Issue(ledger), keyGeneration: 1);
        ledger.State.Certificate(CertId).Should().NotBeNull();
    }

    [Fact]
    public void A_key_revoked_by_governance_is_not_valid_after_the_revocation()
    {
        var ledger = new TestLedger();
        GovernanceSteps.Pass(ledger, new MembershipChange { RevokeKey = new OrganisationKey { OrganisationId = CnChamber, Key = KeyOf(CnChamber) } });

        var revokedAtMs = ledger.State.Organisation(CnChamber)!.Keys.Single().RevokedAtMs;

        ledger.SubmitRefused(CnChamber, Issue(ledger), RuleCatalog.KeyNotValidAtTime, "signer_key", $"until its revocation at {revokedAtMs}");
    }

    [Fact]
    public void At_a_rotation_the_old_key_is_valid_until_the_rotation_time_and_the_new_key_only_from_it()
    {
        var ledger = new TestLedger();
        GovernanceSteps.Pass(ledger, GovernanceSteps.Rotate(CnChamber, 0, 1));
        var rotatedAtMs = ledger.State.Organisation(CnChamber)!.Keys.Single(k => k.RevokedAtMs != 0).RevokedAtMs;

        // Block times only grow on a chain; going back here probes the key's validity interval itself.
        ledger.TimeMs = rotatedAtMs - 1;
        ledger.ExecuteRefused(TestLedger.Body(CnChamber, Issue(ledger), keyGeneration: 1), RuleCatalog.KeyNotValidAtTime,
            "signer_key", $"valid from {rotatedAtMs}", $"block time {rotatedAtMs - 1}");
        ledger.TimeMs = rotatedAtMs - 1;
        ledger.SubmitOk(CnChamber, Issue(ledger), keyGeneration: 0);
    }

    [Theory]
    [InlineData(CnCustoms, TxBody.KindOneofCase.IssueCertificate, "chamber")]
    [InlineData(KzCustoms, TxBody.KindOneofCase.RevokeCertificate, "chamber")]
    [InlineData(PostUrumqi, TxBody.KindOneofCase.IssueDuplicate, "chamber")]
    [InlineData(KzCustoms, TxBody.KindOneofCase.AnswerVerification, "chamber")]
    [InlineData(CnChamber, TxBody.KindOneofCase.DeclareConsignment, "customs")]
    [InlineData(KzChamber, TxBody.KindOneofCase.RecordUse, "customs")]
    [InlineData(Auditor, TxBody.KindOneofCase.RequestVerification, "customs")]
    [InlineData(KzCustoms, TxBody.KindOneofCase.RecordCheckpointEvent, "customs-post")]
    [InlineData(PostDostyk, TxBody.KindOneofCase.ProposeMembershipChange, "chamber or customs")]
    [InlineData(Auditor, TxBody.KindOneofCase.ApproveMembershipChange, "chamber or customs")]
    public void A_kind_signed_by_an_organisation_without_its_role_is_refused(string signer, TxBody.KindOneofCase kind, string role)
    {
        var ledger = new TestLedger();

        ledger.SubmitRefused(signer, EmptyKinds[kind], RuleCatalog.RoleNotAllowed, kind.ToString(), $"needs the role {role}", $"'{signer}'");
    }

    [Fact]
    public void Every_kind_is_refused_to_every_organisation_without_its_role_and_not_for_role_to_those_with_it()
    {
        EmptyKinds.Keys.Should().BeEquivalentTo(Enum.GetValues<TxBody.KindOneofCase>().Where(k => k != TxBody.KindOneofCase.None),
            "every kind of transaction has its role rule checked here");
        var ledger = new TestLedger();
        foreach (var (kind, setKind) in EmptyKinds)
        {
            var roles = TransactionExecutor.RequiredRoles(kind);
            roles.Should().NotBeEmpty($"{kind} must name the roles that may sign it");
            foreach (var org in Organisations())
            {
                var receipt = ledger.Submit(org.Id, setKind);
                if (org.Roles.Any(roles.Contains))
                {
                    receipt.Code.Should().NotBe(RuleCatalog.RoleNotAllowed, $"'{org.Id}' holds a role for {kind}");
                }
                else
                {
                    receipt.Code.Should().Be(RuleCatalog.RoleNotAllowed, $"'{org.Id}' holds no role for {kind}");
                }
            }
        }
    }

    [Fact]
    public void An_organisation_suspended_by_governance_is_refused_and_signs_again_once_reinstated()
    {
        var ledger = new TestLedger();
        GovernanceSteps.Pass(ledger, GovernanceSteps.Suspend(CnChamber));

        ledger.SubmitRefused(CnChamber, Issue(ledger), RuleCatalog.OrganisationSuspended, CnChamber, "suspended");
        ledger.State.Certificate(CertId).Should().BeNull();

        GovernanceSteps.Pass(ledger, GovernanceSteps.Reinstate(CnChamber));
        ledger.SubmitOk(CnChamber, Issue(ledger));
        ledger.State.Certificate(CertId).Should().NotBeNull();
    }

    [Fact]
    public void The_same_transaction_executed_in_a_later_block_is_refused_as_a_duplicate()
    {
        var ledger = new TestLedger();
        var tx = ledger.Decode(TestLedger.Body(CnChamber, Issue(ledger)));
        ledger.Execute([tx])[0].Code.Should().Be(RuleCatalog.Ok);
        var height = ledger.Height;
        var before = LedgerAssertions.Records(ledger);

        var again = ledger.Execute([tx])[0];

        again.Code.Should().Be(RuleCatalog.TxDuplicate);
        again.Message.Should().Contain(tx.Id.ToString()).And.Contain($"height {height}");
        LedgerAssertions.Records(ledger).Should().Equal(before);
    }

    [Fact]
    public void The_same_transaction_twice_in_one_block_is_executed_once()
    {
        var ledger = new TestLedger();
        var tx = ledger.Decode(TestLedger.Body(CnChamber, Issue(ledger)));

        var receipts = ledger.Execute([tx, tx]);

        receipts.Select(r => r.Code).Should().Equal(RuleCatalog.Ok, RuleCatalog.TxDuplicate);
        receipts[1].Message.Should().Contain("position 0");
        ledger.State.Certificate(CertId)!.IssuedHeight.Should().Be(ledger.Height);
    }

    [Fact]
    public void A_refused_transaction_cannot_be_replayed_either()
    {
        var ledger = new TestLedger();
        var tx = ledger.Decode(TestLedger.Body(CnCustoms, Issue(ledger)));
        ledger.Execute([tx])[0].Code.Should().Be(RuleCatalog.RoleNotAllowed);

        ledger.Execute([tx])[0].Code.Should().Be(RuleCatalog.TxDuplicate);
    }
}
