using Google.Protobuf;
using Ledger.Client.Tests.Support;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using static Ledger.Client.Tests.Support.Corridor;

namespace Ledger.Client.Tests;

/// <summary>Submitting signed transactions: receipts, refusals with their codes, and idempotent retries.</summary>
public sealed class SubmitTests : IAsyncLifetime
{
    private readonly FakeNetwork _network = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task A_valid_transaction_comes_back_with_its_committed_receipt()
    {
        var signed = Issue("CN-2026-0100");

        var receipt = await _network.Client("node-a").SubmitAndWaitAsync(signed);

        receipt.Receipt.Code.Should().Be(RuleCatalog.Ok);
        receipt.Receipt.TxId.Should().Equal(signed.Id.ToArray());
        receipt.Height.Should().Be(1);
        _network.Chain.IsCommitted(signed.Id).Should().BeTrue();
    }

    public static TheoryData<string> ReceiptLies => ["refused-instead-of-ok", "another-position", "proof-dropped", "certificate-of-another-block"];

    [Theory]
    [MemberData(nameof(ReceiptLies))]
    public async Task A_node_lying_about_a_receipt_is_caught_by_its_proof_and_the_next_node_answers(string lie)
    {
        var signed = Issue("CN-2026-RL-" + lie);
        _network.Node("node-a").LieAboutReceipt = lie switch
        {
            "refused-instead-of-ok" => r => { r.Receipt.Code = RuleCatalog.CertNumberExists; r.Receipt.Message = "already issued"; }
            ,
            "another-position" => r => r.Position = 1,
            "proof-dropped" => r => r.Proof = null,
            _ => r => r.Proof.Certificate.Height += 1,
        };

        var receipt = await _network.Client("node-a", "node-b").SubmitAndWaitAsync(signed);

        receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, "node-b's proven receipt, not node-a's");
        _network.Node("node-b").Calls.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_node_refusing_a_valid_transaction_is_routed_around_and_the_next_node_commits_it()
    {
        var signed = Issue("CN-2026-LIAR-REFUSES");
        _network.Node("node-a").RefuseSubmissionsWith = RuleCatalog.RoleNotAllowed;

        var receipt = await _network.Client("node-a", "node-b").SubmitAndWaitAsync(signed);

        receipt.Receipt.Code.Should().Be(RuleCatalog.Ok);
        _network.Chain.IsCommitted(signed.Id).Should().BeTrue();
    }

    [Fact]
    public async Task A_refusal_with_no_other_node_to_ask_stands()
    {
        var signed = Issue("CN-2026-LIAR-ALONE");
        _network.Node("node-a").RefuseSubmissionsWith = RuleCatalog.RoleNotAllowed;
        _network.Node("node-b").FailWith = Grpc.Core.StatusCode.Unavailable;

        var act = () => _network.Client("node-a", "node-b").SubmitAndWaitAsync(signed);

        var refused = (await act.Should().ThrowAsync<LedgerRefusedException>()).Which;
        refused.Code.Should().Be(RuleCatalog.RoleNotAllowed);
        // The node writes the code into the detail as well: the exception names it once (issue 23).
        refused.Reason.Should().Be("refused");
        refused.Message.Should().Be($"{RuleCatalog.RoleNotAllowed}: refused");
    }

    [Fact]
    public async Task A_receipt_no_node_can_prove_is_not_believed()
    {
        var signed = Issue("CN-2026-RL-ALONE");
        _network.Node("node-a").LieAboutReceipt = r => r.Receipt.Code = RuleCatalog.CertNumberExists;

        var act = () => _network.Client("node-a").SubmitAndWaitAsync(signed);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.ProofInvalid);
    }

    [Fact]
    public async Task A_refusal_before_any_block_surfaces_the_rule_code_from_the_trailer()
    {
        var signed = Issue("CN-2026-0101");
        var tampered = signed.Envelope.Clone();
        var signature = tampered.Signature.ToByteArray();
        signature[0] ^= 0xFF;
        tampered.Signature = ByteString.CopyFrom(signature);
        var nodeA = _network.Node("node-a");

        var act = () => _network.Client("node-a", "node-b").SubmitAndWaitAsync(tampered);

        var thrown = (await act.Should().ThrowAsync<LedgerRefusedException>()).Which;
        thrown.Code.Should().Be(RuleCatalog.SignatureInvalid);
        thrown.TxId.Should().Be(signed.Id);
        thrown.Receipt.Should().BeNull();
        nodeA.Calls.Should().Be(1);
        _network.Node("node-b").Calls.Should().Be(1, "one node's refusal is confirmed by another before it is final");
    }

    [Fact]
    public async Task A_committed_transaction_its_contract_refused_surfaces_the_receipt_code()
    {
        var signed = _network.Corridor.Signer(CnChamber).Sign(b => b.RevokeCertificate = new RevokeCertificate { CertificateId = "cn-ccpit/NO-SUCH", Reason = "error" });

        var act = () => _network.Client("node-a").SubmitAndWaitAsync(signed);

        var thrown = (await act.Should().ThrowAsync<LedgerRefusedException>()).Which;
        thrown.Code.Should().Be(RuleCatalog.CertUnknown);
        thrown.Receipt!.Height.Should().Be(1);
        thrown.TxId.Should().Be(signed.Id);
    }

    [Fact]
    public async Task A_lost_answer_is_retried_on_the_next_node_with_the_same_envelope_and_commits_once()
    {
        var signed = Issue("CN-2026-0102");
        _network.Node("node-a").LoseNextSubmitAnswer = true;
        var nodeB = _network.Node("node-b");

        var receipt = await _network.Client("node-a", "node-b").SubmitAndWaitAsync(signed);

        receipt.Receipt.TxId.Should().Equal(signed.Id.ToArray());
        receipt.Receipt.Code.Should().Be(RuleCatalog.Ok);
        nodeB.Calls.Should().Be(1);
        _network.Chain.Height.Should().Be(1, "the resubmission is the same transaction, not a second one");
    }

    [Fact]
    public async Task Resubmitting_the_same_envelope_keeps_its_id_and_its_first_receipt()
    {
        var signed = Issue("CN-2026-0103");
        var client = _network.Client("node-a");

        var first = await client.SubmitAndWaitAsync(signed.Envelope);
        var again = await client.SubmitAndWaitAsync(signed.Envelope.Clone());

        again.Should().Be(first);
        _network.Chain.Height.Should().Be(1);
    }

    [Fact]
    public async Task Submitting_without_waiting_returns_the_id_the_signer_computed()
    {
        var signed = Issue("CN-2026-0104");

        var id = await _network.Client("node-a").SubmitAsync(signed);

        id.Should().Be(signed.Id);
    }

    [Fact]
    public async Task An_envelope_for_another_chain_is_refused_before_it_is_sent()
    {
        var foreign = new MemberSigner(CnChamber, _network.Corridor.MemberKeys[CnChamber], "another-chain").Sign(b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = "x/y" });

        var act = () => _network.Client("node-a").SubmitAndWaitAsync(foreign);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*another-chain*");
        _network.Node("node-a").Calls.Should().Be(0);
    }

    private SignedTransaction Issue(string number) =>
        _network.Corridor.Signer(CnChamber).Sign(b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(number, _network.Chain.NextTimeMs) });
}
