using Ledger.Client.Tests.Support;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using static Ledger.Client.Tests.Support.Corridor;

namespace Ledger.Client.Tests;

/// <summary>The corridor's story through the role clients, over a fake node on a real ledger.</summary>
public sealed class RoleClientTests : IAsyncLifetime
{
    private const string ConsignmentId = "CIM-200";
    private readonly FakeNetwork _network = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task A_certificate_travels_the_corridor_and_import_customs_verifies_and_uses_it()
    {
        var node = _network.Client("node-a");
        var chamber = new ChamberClient(node, _network.Corridor.Signer(CnChamber));
        var export = new ExportCustomsClient(node, _network.Corridor.Signer(CnCustoms));
        var import = new ImportCustomsClient(node, _network.Corridor.Signer(KzCustoms));
        var certId = chamber.CertificateIdOf("CN-2026-0500");

        (await chamber.IssueAsync(Certificate("CN-2026-0500", _network.Chain.NextTimeMs))).Receipt.Code.Should().Be(RuleCatalog.Ok);
        await export.DeclareConsignmentAsync(RailConsignment(ConsignmentId, certId));
        var t = _network.Chain.NextTimeMs;
        await Record(node, Urumqi, PostUrumqi, CheckpointEventKind.Departure, t);
        await Record(node, Alashankou, PostAlashankou, CheckpointEventKind.BorderExit, t + DayMs);
        await Record(node, Dostyk, PostDostyk, CheckpointEventKind.BorderEntry, t + (DayMs * 3 / 2));
        await Record(node, Dostyk, PostDostyk, CheckpointEventKind.GaugeChange, t + (DayMs * 3 / 2) + 3_600_000, 1520);
        await Record(node, Almaty, PostAlmaty, CheckpointEventKind.Arrival, t + (3 * DayMs));

        var verified = await import.VerifyCertificateAsync(certId, DocumentHash("CN-2026-0500"));
        verified.IsActive.Should().BeTrue();
        verified.ContentHash.Should().Be(ContentHashCheck.Match);
        verified.Consignments.Should().ContainSingle().Which.Kind.Should().Be(RouteVerdictKind.DirectTransportVerified);

        await import.RecordUseAsync(certId, "KZ-DECL-1", [new UseLine { ItemNo = 1, QuantityMilli = 5_000_000 }]);
        var request = await import.RequestVerificationAsync(certId, "exporter unknown to us");
        await chamber.AnswerVerificationAsync(certId, Convert.ToHexStringLower(request.Receipt.TxId.Span), VerificationOutcome.Confirmed, "checked the file");

        var after = await import.VerifyCertificateAsync(certId);
        after.Record!.RemainingMilli.Should().Equal(15_000_000);
        after.Record.Verifications.Should().ContainSingle().Which.Outcome.Should().Be(VerificationOutcome.Confirmed);
    }

    [Fact]
    public async Task The_chamber_suspends_reinstates_replaces_and_revokes()
    {
        var node = _network.Client("node-a");
        var chamber = new ChamberClient(node, _network.Corridor.Signer(CnChamber));
        var first = chamber.CertificateIdOf("CN-2026-0600");
        var second = chamber.CertificateIdOf("CN-2026-0601");
        await chamber.IssueAsync(Certificate("CN-2026-0600", _network.Chain.NextTimeMs));

        await chamber.SuspendAsync(first, "inquiry");
        (await node.VerifyCertificateAsync(first)).Status.Should().Be(CertificateStatus.Suspended);
        await chamber.ReinstateAsync(first);
        await chamber.ReplaceAsync(first, Certificate("CN-2026-0601", _network.Chain.NextTimeMs), "consignee address corrected");
        await chamber.RevokeAsync(second, "issued in error");

        var replaced = await node.VerifyCertificateAsync(first);
        replaced.Status.Should().Be(CertificateStatus.Replaced);
        replaced.ReplacedBy.Should().Be(second, "the public answer names the successor");
        var revoked = await node.VerifyCertificateAsync(second);
        revoked.Status.Should().Be(CertificateStatus.Revoked);
        revoked.StatusReason.Should().Be("issued in error");
        revoked.Replaces.Should().Be(first);
    }

    [Fact]
    public async Task A_duplicate_of_a_lost_original_is_issued()
    {
        var node = _network.Client("node-a");
        var chamber = new ChamberClient(node, _network.Corridor.Signer(CnChamber));
        await chamber.IssueAsync(Certificate("CN-2026-0700", _network.Chain.NextTimeMs));

        await chamber.IssueDuplicateAsync(chamber.CertificateIdOf("CN-2026-0700"), "CN-2026-0700-D", DocumentHash("CN-2026-0700-D"),
            DateTimeOffset.FromUnixTimeMilliseconds(_network.Chain.NextTimeMs - 1));

        (await node.VerifyCertificateAsync(chamber.CertificateIdOf("CN-2026-0700-D"))).Record!.DuplicateOf.Should().Be(chamber.CertificateIdOf("CN-2026-0700"));
    }

    [Fact]
    public async Task A_customs_post_can_sign_offline_and_submit_later()
    {
        var node = _network.Client("node-a");
        await new ChamberClient(node, _network.Corridor.Signer(CnChamber)).IssueAsync(Certificate("CN-2026-0800", _network.Chain.NextTimeMs));
        await new ExportCustomsClient(node, _network.Corridor.Signer(CnCustoms)).DeclareConsignmentAsync(RailConsignment(ConsignmentId, "cn-ccpit/CN-2026-0800"));
        var post = new CustomsPostClient(node, _network.Corridor.Signer(PostUrumqi));
        var prepared = post.Prepare(Event(ConsignmentId, Urumqi, CheckpointEventKind.Departure, _network.Chain.NextTimeMs));
        _network.Node("node-a").FailWith = Grpc.Core.StatusCode.Unavailable;
        var offline = () => post.SubmitAsync(prepared);
        await offline.Should().ThrowAsync<LedgerUnavailableException>();

        _network.Node("node-a").FailWith = null;
        var receipt = await post.SubmitAsync(prepared);

        receipt.Receipt.TxId.Should().Equal(prepared.Id.ToArray());
        (await node.GetConsignmentAsync(ConsignmentId)).Record!.Events.Should().ContainSingle();
    }

    [Fact]
    public async Task The_auditor_reads_blocks_checked_against_their_certificates()
    {
        var node = _network.Client("node-a");
        var chamber = new ChamberClient(node, _network.Corridor.Signer(CnChamber));
        await chamber.IssueAsync(Certificate("CN-2026-0900", _network.Chain.NextTimeMs));
        await chamber.IssueAsync(Certificate("CN-2026-0901", _network.Chain.NextTimeMs));
        var auditor = new AuditorClient(node);

        var block = await auditor.GetBlockAsync(2);
        var streamed = new List<StoredBlock>();
        await foreach (var b in auditor.StreamBlocksAsync(1))
        {
            streamed.Add(b);
        }

        block.Block.Header.Height.Should().Be(2);
        streamed.Select(b => b.Block.Header.Height).Should().Equal(1UL, 2UL);
    }

    [Fact]
    public async Task The_auditor_refuses_a_block_whose_header_was_altered()
    {
        var node = _network.Client("node-a");
        await new ChamberClient(node, _network.Corridor.Signer(CnChamber)).IssueAsync(Certificate("CN-2026-1000", _network.Chain.NextTimeMs));
        _network.Node("node-a").LieAboutBlock = b => b.Block.Header.TimeMs++;

        var act = () => new AuditorClient(node).GetBlockAsync(1);

        (await act.Should().ThrowAsync<UntrustedAnswerException>()).Which.Reason.Should().Be(UntrustedReason.CertificateNotForHeader);
    }

    private async Task Record(LedgerNodeClient node, string checkpoint, string post, CheckpointEventKind kind, long occurredAtMs, uint gaugeAfterMm = 0)
    {
        // A block cannot carry an event from its future.
        _network.Chain.NextTimeMs = Math.Max(_network.Chain.NextTimeMs, occurredAtMs);
        var receipt = await new CustomsPostClient(node, _network.Corridor.Signer(post)).RecordCheckpointEventAsync(Event(ConsignmentId, checkpoint, kind, occurredAtMs, gaugeAfterMm));
        receipt.Receipt.Breaches.Should().BeEmpty();
    }
}
