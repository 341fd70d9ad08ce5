using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.GovernanceSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

/// <summary>
/// A key is judged at the time of the block that executes the transaction, never at the time the signer says it
/// signed (docs/PROTOCOL.md, "Keys judged at block time"): a transaction signed just before its key's revocation and
/// committed after it is refused.
/// </summary>
public sealed class KeyRevocationTimingTests
{
    private static MembershipChange RevokeCnChamberKey() =>
        new() { RevokeKey = new OrganisationKey { OrganisationId = CnChamber, Key = KeyOf(CnChamber) } };

    private static Action<TxBody> IssueSignedAt(TestLedger ledger, string number, long createdAtMs) => b =>
    {
        b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(number, ledger.TimeMs) };
        b.CreatedAtMs = createdAtMs;
    };

    [Fact]
    public void A_transaction_signed_before_its_key_was_revoked_and_committed_after_is_refused()
    {
        var ledger = new TestLedger();
        var signedAtMs = ledger.TimeMs;
        var signed = ledger.Decode(TestLedger.Body(CnChamber, IssueSignedAt(ledger, "CN-2026-0901", signedAtMs)));
        Pass(ledger, RevokeCnChamberKey());

        var receipt = ledger.Execute([signed])[0];

        receipt.Code.Should().Be(RuleCatalog.KeyNotValidAtTime, "the key is judged at the block time, not at created_at_ms {0}: {1}", signedAtMs, receipt.Message);
        ledger.State.Certificate(CertificateIdOf("CN-2026-0901")).Should().BeNull();
    }

    [Fact]
    public void In_the_block_that_revokes_a_key_its_transactions_before_the_revocation_commit_and_those_after_are_refused()
    {
        var ledger = new TestLedger();
        var proposal = ProposalId(Propose(ledger, KzChamber, RevokeCnChamberKey()));
        Approve(ledger, CnCustoms, proposal).Code.Should().Be(RuleCatalog.Ok);
        var approval = ledger.Decode(TestLedger.Body(KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposal }));
        var ahead = ledger.Decode(TestLedger.Body(CnChamber, IssueSignedAt(ledger, "CN-2026-0902", ledger.TimeMs)));
        var behind = ledger.Decode(TestLedger.Body(CnChamber, IssueSignedAt(ledger, "CN-2026-0903", ledger.TimeMs)));

        var receipts = ledger.Execute([ahead, approval, behind]);

        receipts.Select(r => r.Code).Should().Equal(RuleCatalog.Ok, RuleCatalog.Ok, RuleCatalog.KeyNotValidAtTime);
    }

    private static string CertificateIdOf(string number) => CnChamber + "/" + number;
}
