using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// What only the state can decide: a key revoked by governance, replays of committed transactions, and
/// times judged against the block's time. Rules of a contract are committed with the refusal in the
/// receipt (the id is marked, nothing else changes); replays are answered with the first commit.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class CommittedRefusalTests
{
    private const long YearMs = 365L * 86_400_000;
    private readonly BadInputNode _node;
    private readonly Members _members;

    public CommittedRefusalTests(BadInputNode node)
    {
        _node = node;
        _members = new Members(node);
    }

    [Fact]
    public async Task A_key_revoked_by_governance_is_refused_at_submit_and_its_replacement_signs()
    {
        // cn-customs rotates its key: proposed by the Kazakh chamber, approved by both customs (3 of 4 governing).
        var oldKey = _node.KeyOf(CnCustoms);
        var newKey = SignatureSuites.Generate(oldKey.Public.Suite);
        var rotate = new MembershipChange { RotateKey = new RotateKey { OrganisationId = CnCustoms, OldKey = oldKey.Public, NewKey = newKey.Public } };
        var proposal = await _node.CommitAsync(_members.Signed(KzChamber, b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = rotate, Reason = "key rotation" }));
        proposal.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, proposal.Receipt.Receipt.Message);
        var proposalId = Convert.ToHexStringLower(proposal.TxId.Span);
        foreach (var approver in new[] { KzCustoms, CnCustoms })
        {
            var approval = await _node.CommitAsync(_members.Signed(approver, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposalId }));
            approval.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, approval.Receipt.Receipt.Message);
        }
        var before = await _node.HeadAsync();

        var declare = (KeyPair key) => TransactionSigner.Sign(BadInputNode.ChainId,
            _members.Body(CnCustoms, key.Public, b => b.DeclareConsignment = new DeclareConsignment { ConsignmentId = "BI-REVOKED-" + key.Public.Key.Length }), key);
        var refused = await _node.SubmitRefusedAsync(declare(oldKey));

        refused.ShouldBeRefusal(StatusCode.PermissionDenied, RuleCatalog.KeyNotValidAtTime);
        refused.Status.Detail.Should().Contain("revocation");
        (await _node.HeadAsync()).Should().Be(before);
        // The new key is admitted: the consignment itself is refused by its contract (no itinerary), in the receipt.
        var withNewKey = await _node.CommitAsync(declare(newKey));
        withNewKey.Receipt.Receipt.Code.Should().NotBe(RuleCatalog.KeyNotValidAtTime).And.NotBe(RuleCatalog.SignerUnknown);
    }

    [Fact]
    public async Task A_suspended_organisation_is_refused_at_submit()
    {
        // cn-customs stays out of it: another test rotates its key.
        var urumqi = new Wire.Ledger.LedgerClient(_node.Channel.Intercept(
            new CallSigningInterceptor(CallSigner.ForMember(BadInputNode.ChainId, PostUrumqi, _node.KeyOf(PostUrumqi)))));
        using var stream = urumqi.StreamBlocks(new StreamBlocksRequest { FromHeight = (await _node.HeadAsync()).Height + 1 },
            deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        var suspend = new MembershipChange { SuspendOrganisation = PostUrumqi };
        var proposal = await _node.CommitAsync(_members.Signed(KzChamber, b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = suspend, Reason = "inquiry" }));
        proposal.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, proposal.Receipt.Receipt.Message);
        foreach (var approver in new[] { KzCustoms, CnChamber })
        {
            var approval = await _node.CommitAsync(_members.Signed(approver, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = Convert.ToHexStringLower(proposal.TxId.Span) }));
            approval.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, approval.Receipt.Receipt.Message);
        }
        var before = await _node.HeadAsync();

        var refused = await _node.SubmitRefusedAsync(_members.Signed(PostUrumqi,
            b => b.RecordCheckpointEvent = new RecordCheckpointEvent { ConsignmentId = "BI-SUSPENDED", Checkpoint = Urumqi, Kind = CheckpointEventKind.Departure, OccurredAtMs = 1 }));

        refused.ShouldBeRefusal(StatusCode.PermissionDenied, RuleCatalog.OrganisationSuspended);
        (await _node.HeadAsync()).Should().Be(before);
        // The stream it opened while a member delivered the blocks before the suspension, then ended with it.
        var delivered = new List<ulong>();
        var reading = async () =>
        {
            while (await stream.ResponseStream.MoveNext(CancellationToken.None))
            {
                delivered.Add(stream.ResponseStream.Current.Block.Header.Height);
            }
        };
        (await reading.Should().ThrowAsync<RpcException>()).Which.ShouldBeRefusal(StatusCode.PermissionDenied, Node.Access.AccessCodes.MemberSuspended);
        delivered.Should().NotBeEmpty().And.OnlyContain(height => height < before.Height);
    }

    [Fact]
    public async Task A_replay_of_a_committed_transaction_is_answered_with_its_first_commit_and_not_committed_again()
    {
        var envelope = _members.Signed(CnChamber, Members.Issue("BI-REPLAY"));
        var first = await _node.CommitAsync(envelope);
        first.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, first.Receipt.Receipt.Message);
        var before = await _node.HeadAsync();
        // The same body signed again: another signature, the same transaction id (the id covers the body only).
        var resigned = Members.SignedRaw(envelope.Body.ToByteArray(), _node.KeyOf(CnChamber));

        foreach (var replay in new[] { envelope, resigned })
        {
            var again = await _node.CommitAsync(replay);
            again.TxId.Should().Equal(first.TxId);
            again.Receipt.Should().Be(first.Receipt, "a replay is answered with the first commit's receipt: idempotent, not an error");
            var quick = await _node.Public.SubmitAsync(new SubmitRequest { Transaction = replay });
            quick.Committed.Should().BeTrue();
            quick.Receipt.Should().Be(first.Receipt);
        }

        (await _node.HeadAsync()).Should().Be(before, "a replay is never committed a second time");
        var info = await _node.Ledger.GetTransactionAsync(new GetTransactionRequest { TxId = first.TxId });
        info.Transaction.Should().Be(envelope, "the committed envelope is the first one");
    }

    [Fact]
    public async Task A_replay_of_a_refused_transaction_keeps_its_refusal()
    {
        var envelope = _members.Signed(CnChamber, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = Members.IdOf("BI-NEVER-ISSUED"), Reason = "test" });
        var first = await _node.CommitAsync(envelope);
        first.Receipt.Receipt.Code.Should().Be(RuleCatalog.CertUnknown);
        var before = await _node.HeadAsync();

        var again = await _node.CommitAsync(envelope);

        again.Receipt.Should().Be(first.Receipt);
        (await _node.HeadAsync()).Should().Be(before);
    }

    public static TheoryData<string, string> Times() => new()
    {
        { "issued-a-year-ahead", RuleCatalog.TimeInFuture },
        { "issued-in-year-9999", RuleCatalog.TimeInFuture },
        { "issued-before-1970", RuleCatalog.RequiredFieldMissing },
        { "issued-before-its-invoice", RuleCatalog.IssueBeforeInvoice },
        { "issued-two-years-after-departure", RuleCatalog.RetroactiveNotMarked },
        { "retrospective-past-the-window", RuleCatalog.RetroactiveWindowExceeded },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public async Task A_certificate_with_impossible_dates_is_committed_refused_and_not_recorded(string input, string code)
    {
        var number = "BI-TIME-" + input;
        var certificate = Members.Certificate(number);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        switch (input)
        {
            case "issued-a-year-ahead":
                certificate.IssuedAtMs = now + YearMs;
                certificate.Transport.DepartureMs = now + (2 * YearMs);
                break;
            case "issued-in-year-9999":
                certificate.IssuedAtMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
                break;
            case "issued-before-1970":
                certificate.IssuedAtMs = -YearMs;
                break;
            case "issued-before-its-invoice":
                certificate.IssuedAtMs = certificate.InvoiceDateMs - 1;
                break;
            case "issued-two-years-after-departure":
                certificate.Transport.DepartureMs = certificate.IssuedAtMs - (2 * YearMs);
                certificate.InvoiceDateMs = certificate.Transport.DepartureMs - YearMs;
                break;
            case "retrospective-past-the-window":
                certificate.Retrospective = true;
                certificate.Transport.DepartureMs = certificate.IssuedAtMs - (2 * YearMs);
                certificate.InvoiceDateMs = certificate.Transport.DepartureMs - YearMs;
                break;
        }

        var response = await _node.CommitAsync(_members.Signed(CnChamber, Members.Issue(certificate)));

        response.Receipt.Receipt.Code.Should().Be(code, response.Receipt.Receipt.Message);
        response.Receipt.Receipt.Message.Should().NotBeNullOrWhiteSpace();
        var absent = await BadInputCalls.RefusedAsync(o => _node.Ledger.GetCertificateAsync(new GetCertificateRequest { CertificateId = Members.IdOf(number) }, o).ResponseAsync);
        absent.ShouldBeRefusal(StatusCode.NotFound, RuleCatalog.CertUnknown);
        // Proven absent against the committed head, not only said to be.
        var verified = await _node.Public.VerifyCertificateAsync(new VerifyCertificateRequest { CertificateId = Members.IdOf(number), WithProof = true });
        verified.Found.Should().BeFalse();
        verified.Proof.Entries.Should().ContainSingle().Which.Absent.Should().BeTrue();
    }
}
