using Google.Protobuf;
using Ledger.Client.Tests.Support;
using Ledger.Contracts.Certificates;
using Ledger.Wire;
using static Ledger.Client.Tests.Support.Corridor;

namespace Ledger.Client.Tests;

/// <summary>Verified reads against honest nodes, and against nodes that lie in every way the proofs must catch.</summary>
public sealed class VerifiedReadTests : IAsyncLifetime
{
    private const string Number = "CN-2026-0001";
    private const string OtherNumber = "CN-2026-0002";
    private const string ConsignmentId = "CIM-100";
    private static readonly string CertId = CertificateIds.Of(CnChamber, Number);
    private static readonly string OtherCertId = CertificateIds.Of(CnChamber, OtherNumber);
    private readonly FakeNetwork _network = new();

    public Task InitializeAsync()
    {
        var chain = _network.Chain;
        var chamber = _network.Corridor.Signer(CnChamber);
        chain.SubmitOk(chamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(Number, chain.NextTimeMs) });
        chain.SubmitOk(chamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(OtherNumber, chain.NextTimeMs) });
        chain.SubmitOk(_network.Corridor.Signer(CnCustoms), b => b.DeclareConsignment = RailConsignment(ConsignmentId, CertId));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task An_honest_answer_verifies_and_is_built_from_the_proven_record()
    {
        var result = await _network.Client("honest").VerifyCertificateAsync(CertId, DocumentHash(Number));

        result.Trust.Should().Be(AnswerTrust.Proven);
        result.Found.Should().BeTrue();
        result.Status.Should().Be(CertificateStatus.Issued);
        result.Issuer.Should().Be(CnChamber);
        result.IssuerName.Should().Be("China Council for the Promotion of International Trade");
        result.IssuerCountry.Should().Be("CN");
        result.ContentHash.Should().Be(ContentHashCheck.Match);
        result.Consignments.Should().ContainSingle().Which.Kind.Should().Be(RouteVerdictKind.InTransit);
        result.Record!.Certificate.Number.Should().Be(Number);
        result.ProvenAt!.Height.Should().Be(_network.Chain.Height);
    }

    [Fact]
    public async Task A_different_document_is_reported_as_a_mismatch()
    {
        var result = await _network.Client("honest").VerifyCertificateAsync(CertId, DocumentHash("forged document"));

        result.ContentHash.Should().Be(ContentHashCheck.Mismatch);
        result.Trust.Should().Be(AnswerTrust.Proven);
    }

    [Fact]
    public async Task An_unknown_certificate_is_not_found_with_a_proof_of_absence()
    {
        var result = await _network.Client("honest").VerifyCertificateAsync(CertificateIds.Of(CnChamber, "NO-SUCH"));

        result.Found.Should().BeFalse();
        result.IsProvenAbsent.Should().BeTrue();
    }

    [Fact]
    public async Task A_consignment_read_is_proven_and_an_unknown_one_is_proven_absent()
    {
        var client = _network.Client("honest");

        var found = await client.GetConsignmentAsync(ConsignmentId);
        var missing = await client.GetConsignmentAsync("CIM-404");

        found.Trust.Should().Be(AnswerTrust.Proven);
        found.Record!.Declaration.CertificateIds.Should().Equal(CertId);
        found.Verdict!.Kind.Should().Be(RouteVerdictKind.InTransit);
        missing.IsProvenAbsent.Should().BeTrue();
    }

    [Fact]
    public async Task Without_a_proof_the_answer_is_marked_unverified()
    {
        var result = await _network.Client("honest").VerifyCertificateAsync(CertId, requireProof: false);

        result.Trust.Should().Be(AnswerTrust.Unverified);
        result.Status.Should().Be(CertificateStatus.Issued);
        result.Record.Should().BeNull();
    }

    [Fact]
    public async Task A_node_that_lies_about_the_status_beside_a_correct_proof_is_caught()
    {
        Revoke(CertId);
        _network.Node("liar").LieAboutCertificate = r => r.Status = CertificateStatus.Issued;

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>())
            .Which.Should().Match<UntrustedAnswerException>(e => e.Reason == UntrustedReason.AnswerContradictsProof && e.Detail.StartsWith("status") && e.Endpoint == "http://liar");
    }

    [Fact]
    public async Task A_number_alone_is_found_at_its_issuer_and_a_number_nobody_issued_is_proven_absent_everywhere()
    {
        var client = _network.Client("honest");

        var found = await client.FindCertificatesAsync(Number);
        var none = await client.FindCertificatesAsync("NO-SUCH");

        found.Trust.Should().Be(AnswerTrust.Proven);
        found.CertificateIds.Should().Equal(CertId);
        none.CertificateIds.Should().BeEmpty();
        none.ProvenAt!.Height.Should().Be(_network.Chain.Height);
    }

    [Fact]
    public async Task A_node_that_hides_a_certificate_from_a_search_by_number_is_caught()
    {
        _network.Node("liar").LieAboutSearch = a => a.CertificateIds.Clear();

        var act = () => _network.Client("liar").FindCertificatesAsync(Number);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.AnswerContradictsProof);
    }

    [Fact]
    public async Task A_node_that_leaves_an_organisation_out_of_a_search_proof_is_caught()
    {
        // Dropping the issuer's entry would let the node say "no such number" with every other entry proven.
        _network.Node("liar").LieAboutSearch = a =>
        {
            a.CertificateIds.Clear();
            var issuerEntry = a.Proof.Entries.Single(e => e.Key == "cert-status/" + CertId);
            a.Proof.Entries.Remove(issuerEntry);
        };

        var act = () => _network.Client("liar").FindCertificatesAsync(Number);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.EntryMissing);
    }

    [Fact]
    public async Task A_node_that_hides_the_successor_of_a_replaced_certificate_is_caught()
    {
        var chamber = _network.Corridor.Signer(CnChamber);
        _network.Chain.SubmitOk(chamber, b => b.ReplaceCertificate = new ReplaceCertificate
        {
            ReplacesCertificateId = OtherCertId,
            Certificate = Certificate("CN-2026-0003", _network.Chain.NextTimeMs),
            Reason = "consignee address corrected",
        });
        _network.Node("liar").LieAboutCertificate = r => r.ReplacedBy = "";

        (await _network.Client("honest").VerifyCertificateAsync(OtherCertId)).ReplacedBy.Should().Be(CertificateIds.Of(CnChamber, "CN-2026-0003"));
        var act = () => _network.Client("liar").VerifyCertificateAsync(OtherCertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>())
            .Which.Should().Match<UntrustedAnswerException>(e => e.Reason == UntrustedReason.AnswerContradictsProof && e.Detail.StartsWith("replaced_by"));
    }

    [Fact]
    public async Task A_node_that_lies_about_a_route_verdict_is_caught()
    {
        _network.Node("liar").LieAboutConsignment = a => a.Verdict.Kind = RouteVerdictKind.DirectTransportVerified;

        var act = () => _network.Client("liar").GetConsignmentAsync(ConsignmentId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.AnswerContradictsProof);
    }

    [Fact]
    public async Task A_node_serving_an_older_state_than_one_already_seen_is_caught()
    {
        var client = _network.Client("honest", "stale");
        Revoke(CertId);
        (await client.VerifyCertificateAsync(CertId)).Status.Should().Be(CertificateStatus.Revoked);
        var stale = _network.Node("stale");
        // A real, correctly certified and proven state: only from before the revocation.
        stale.AnswerAtHeight = _network.Chain.Height - 1;
        _network.Node("honest").FailWith = Grpc.Core.StatusCode.Unavailable;

        var act = () => client.VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.StaleState);
        thrown.Endpoint.Should().Be("http://stale");
    }

    [Fact]
    public async Task A_forged_header_no_longer_matches_its_certificate()
    {
        _network.Node("liar").LieAboutCertificate = r => r.Proof.Header.StateRoot = ByteString.CopyFrom(new byte[32]);

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.CertificateNotForHeader);
    }

    [Fact]
    public async Task A_certificate_signed_by_too_few_validators_is_refused()
    {
        var keys = _network.Corridor.ValidatorKeys;
        _network.Node("liar").LieAboutCertificate = r => r.Proof.Certificate = _network.Chain.Certify(r.Proof.Header, [(0, keys[0]), (1, keys[1])]);

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.CertificateInvalid);
        thrown.Detail.Should().Contain("InsufficientPower");
    }

    [Fact]
    public async Task A_forged_header_certified_by_keys_outside_the_genesis_is_refused()
    {
        var rogue = Enumerable.Range(0, 4).Select(i => (i, Contracts.Crypto.SignatureSuites.Generate(KeySuite.Ed25519))).ToArray();
        _network.Node("liar").LieAboutCertificate = r =>
        {
            r.Proof.Header.Proposer = "rogue";
            r.Proof.Certificate = _network.Chain.Certify(r.Proof.Header, rogue);
        };

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.CertificateInvalid);
        thrown.Detail.Should().Contain("BadSignature");
    }

    [Fact]
    public async Task A_certificate_naming_validators_the_genesis_does_not_have_is_refused()
    {
        var keys = _network.Corridor.ValidatorKeys;
        _network.Node("liar").LieAboutCertificate = r =>
            r.Proof.Certificate = _network.Chain.Certify(r.Proof.Header, [(0, keys[0]), (1, keys[1]), (7, keys[2])]);

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Detail.Should().Contain("UnknownValidator");
    }

    [Fact]
    public async Task A_valid_proof_of_another_certificate_passed_off_as_this_one_is_refused()
    {
        Revoke(CertId);
        _network.Node("liar").LieAboutCertificate = r =>
        {
            // The other certificate is still Issued: its real entry, relabelled with our key.
            var otherEntry = ProvenEntryOf(OtherCertId);
            otherEntry.Key = r.Proof.Entries[0].Key;
            r.Proof.Entries[0] = otherEntry;
            r.Status = CertificateStatus.Issued;
        };

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.ProofInvalid);
        thrown.Detail.Should().Contain(Contracts.State.StateKeys.CertificateStatus(CertId));
    }

    [Fact]
    public async Task A_proof_that_does_not_cover_the_certificate_asked_for_is_refused()
    {
        _network.Node("liar").LieAboutCertificate = r => r.Proof.Entries[0] = ProvenEntryOf(OtherCertId);

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.EntryMissing);
        thrown.Detail.Should().Contain(Contracts.State.StateKeys.CertificateStatus(CertId));
    }

    [Fact]
    public async Task A_node_claiming_a_present_certificate_is_absent_is_caught()
    {
        _network.Node("liar").LieAboutCertificate = r =>
        {
            var entry = r.Proof.Entries[0];
            entry.Absent = true;
            entry.Value = ByteString.Empty;
            r.Found = false;
            r.Status = CertificateStatus.Unspecified;
            r.StatusReason = r.Issuer = r.IssuerName = r.IssuerCountry = "";
            r.ContentHash = ContentHashCheck.Unspecified;
            r.Consignments.Clear();
        };

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.ProofInvalid);
    }

    [Fact]
    public async Task An_entry_for_a_key_the_state_root_leaves_out_is_refused_whatever_its_proof()
    {
        _network.Node("liar").LieAboutCertificate = r =>
        {
            // A transaction's mark is never in the tree: its proof of absence verifies, and proves nothing.
            var key = Contracts.State.StateKeys.Transaction(Contracts.Crypto.Hash32.Sha256("some transaction"u8));
            var tree = _network.Chain.TreeAt(_network.Chain.Height);
            var absence = tree.Prove(Contracts.Execution.LedgerStateMachine.TreeKey(key));
            r.Proof.Entries.Add(new ProvenEntry { Key = key, Absent = true, Proof = absence.ToWire() });
        };

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        var thrown = (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which;
        thrown.Reason.Should().Be(UntrustedReason.ProofInvalid);
        thrown.Detail.Should().Contain("not under the state root");
    }

    [Fact]
    public async Task An_answer_without_the_proof_asked_for_is_refused()
    {
        _network.Node("liar").LieAboutCertificate = r => r.Proof = null;

        var act = () => _network.Client("liar").VerifyCertificateAsync(CertId);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.ProofMissing);
    }

    [Fact]
    public async Task With_a_liar_and_an_honest_node_the_client_answers_from_the_honest_one()
    {
        Revoke(CertId);
        var liar = _network.Node("liar");
        liar.LieAboutCertificate = r => r.Status = CertificateStatus.Issued;
        var honest = _network.Node("honest");

        var result = await _network.Client("liar", "honest").VerifyCertificateAsync(CertId);

        result.Status.Should().Be(CertificateStatus.Revoked);
        result.StatusReason.Should().Be("issued in error");
        liar.Calls.Should().Be(1);
        honest.Calls.Should().Be(1);
    }

    private void Revoke(string certId) =>
        _network.Chain.SubmitOk(_network.Corridor.Signer(CnChamber), b => b.RevokeCertificate = new RevokeCertificate { CertificateId = certId, Reason = "issued in error" });

    private ProvenEntry ProvenEntryOf(string certId)
    {
        var key = Contracts.State.StateKeys.CertificateStatus(certId);
        var tree = _network.Chain.TreeAt(_network.Chain.Height);
        var treeKey = Contracts.Execution.LedgerStateMachine.TreeKey(key);
        return new ProvenEntry { Key = key, Value = ByteString.CopyFrom(tree.Get(treeKey)!), Proof = tree.Prove(treeKey).ToWire() };
    }
}
