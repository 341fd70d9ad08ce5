using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Access;
using Ledger.Node.Devnet;
using Ledger.Node.Services;
using Ledger.Node.Tests.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.Access;

/// <summary>
/// Who may call what, against a real node process: full content only for members' signed reads, the
/// public verification without identity, node-to-node calls only for validators (and members where a read
/// replica needs them). Every refusal names its rule, changes nothing, and the node keeps committing.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class AccessOnNetworkTests : IClassFixture<AccessNetworkFixture>
{
    private readonly AccessNetworkFixture _fixture;

    public AccessOnNetworkTests(AccessNetworkFixture fixture) => _fixture = fixture;

    private NodeProcess Node => _fixture.Network.Nodes[0];

    private static string CertId => CertificateTransactions.IdOf(AccessNetworkFixture.Number);

    private Wire.Ledger.LedgerClient SignedBy(CallSigner signer) => new(_fixture.Channel.Intercept(new CallSigningInterceptor(signer)));

    private Wire.Consensus.ConsensusClient PeerSignedBy(CallSigner? signer) =>
        new(signer is null ? _fixture.Channel.CreateCallInvoker() : _fixture.Channel.Intercept(new CallSigningInterceptor(signer)));

    private async Task<MemberSigner> MemberAsync(string organisation, TimeProvider? time = null) =>
        await MemberSigner.FromKeyFileAsync(NetworkLayout.MemberKeyPath(_fixture.Folder, organisation), ProcessNetwork.ChainId, time: time);

    private static async Task<RpcException> RefusedAsync(Func<Task> call, StatusCode status, string code)
    {
        var thrown = (await call.Should().ThrowAsync<RpcException>()).Which;
        thrown.StatusCode.Should().Be(status, thrown.Status.Detail);
        thrown.Trailers.GetValue(RefusalStatus.RuleCodeTrailer).Should().Be(code);
        thrown.Status.Detail.Should().StartWith(code + ":");
        return thrown;
    }

    private async Task StillServingAsync()
    {
        var before = (await Node.PublicClient.GetStatusAsync(new GetStatusRequest())).Height;
        await _fixture.Network.WaitForHeightAsync(before + 1, [0]);
    }

    [Fact]
    public async Task Full_content_without_identity_is_refused_naming_what_is_missing_and_the_public_verification_answers_status_only()
    {
        var anonymous = Node.PublicClient;
        var calls = new (string Name, Func<Task> Call)[]
        {
            ("GetCertificate", () => anonymous.GetCertificateAsync(new GetCertificateRequest { CertificateId = CertId }).ResponseAsync),
            ("GetConsignment", () => anonymous.GetConsignmentAsync(new GetConsignmentRequest { ConsignmentId = "ANY", WithProof = true }).ResponseAsync),
            ("GetTransaction", () => anonymous.GetTransactionAsync(new GetTransactionRequest { TxId = _fixture.Issued.Receipt.TxId }).ResponseAsync),
            ("GetBlock", () => anonymous.GetBlockAsync(new GetBlockRequest { Height = _fixture.Issued.Height }).ResponseAsync),
            ("GetProposal", () => anonymous.GetProposalAsync(new GetProposalRequest { ProposalId = new string('a', 64), WithProof = true }).ResponseAsync),
            ("ListProposals", () => anonymous.ListProposalsAsync(new ListProposalsRequest { WithProof = true }).ResponseAsync),
            ("StreamBlocks", async () =>
            {
                using var stream = anonymous.StreamBlocks(new StreamBlocksRequest { FromHeight = 1 });
                await stream.ResponseStream.MoveNext(CancellationToken.None);
            }),
        };
        var refusedBefore = (await anonymous.GetStatusAsync(new GetStatusRequest())).AccessCounters.RefusedReads;
        foreach (var (name, call) in calls)
        {
            var refused = await RefusedAsync(call, StatusCode.PermissionDenied, AccessCodes.IdentityRequired);
            refused.Status.Detail.Should().Contain(CallIdentityHeaders.Signature, $"{name} says which headers are missing");
        }

        var verified = await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { CertificateId = CertId, WithProof = true });
        verified.Found.Should().BeTrue();
        verified.Status.Should().Be(CertificateStatus.Issued);
        verified.Issuer.Should().Be(CorridorGenesis.CnChamber);
        verified.Proof.Should().NotBeNull();
        verified.Proof.Entries.Select(e => e.Key).Should().NotContain(k => k.StartsWith("cert/") || k.StartsWith("consignment/"),
            "the public proof covers the status and verdict entries, not the records");
        var record = await Node.Client.GetCertificateAsync(new GetCertificateRequest { CertificateId = CertId });
        verified.Proof.Entries.Should().NotContain(e => e.Value.ToStringUtf8().Contains(record.Certificate.Consignee.Name),
            "no proven value carries the consignee");
        var asMember = await Node.Client.VerifyCertificateAsync(new VerifyCertificateRequest { CertificateId = CertId, WithProof = true });
        asMember.Proof.Entries.Select(e => e.Key).Should().Contain("cert/" + CertId, "a member's proof covers the full record too");
        var fields = VerifyCertificateResponse.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name);
        fields.Should().NotContain(f => f.Contains("consignee") || f.Contains("invoice") || f.Contains("goods") || f == "certificate",
            "the public answer has no commercial fields");

        var status = await anonymous.GetStatusAsync(new GetStatusRequest());
        status.AccessCounters.RefusedReads.Should().Be(refusedBefore + (ulong)calls.Length);
        await StillServingAsync();
    }

    [Fact]
    public async Task A_member_signed_read_gets_the_full_certificate_transaction_and_block()
    {
        var customs = SignedBy((await MemberAsync(CorridorGenesis.KzCustoms)).ReadSigner());

        var record = await customs.GetCertificateAsync(new GetCertificateRequest { CertificateId = CertId });
        record.Certificate.Consignee.Name.Should().NotBeEmpty();
        record.Certificate.InvoiceNumber.Should().NotBeEmpty();
        (await customs.GetTransactionAsync(new GetTransactionRequest { TxId = _fixture.Issued.Receipt.TxId })).Receipt.Height.Should().Be(_fixture.Issued.Height);
        (await customs.GetBlockAsync(new GetBlockRequest { Height = _fixture.Issued.Height })).Block.Transactions.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Broken_identities_are_refused_with_the_rule_they_break()
    {
        var customs = await MemberAsync(CorridorGenesis.KzCustoms);
        var request = new GetCertificateRequest { CertificateId = CertId };

        // Signed now for GetCertificate of another id: the signature does not cover this request.
        var headers = customs.ReadSigner().Headers("/ledger.v1.Ledger/GetCertificate", new GetCertificateRequest { CertificateId = "cn-ccpit/OTHER" });
        await RefusedAsync(() => Node.PublicClient.GetCertificateAsync(request, headers).ResponseAsync, StatusCode.Unauthenticated, AccessCodes.IdentitySignatureInvalid);

        // The same signature replayed on another method.
        var forCertificate = customs.ReadSigner().Headers("/ledger.v1.Ledger/GetCertificate", request);
        await RefusedAsync(() => Node.PublicClient.GetBlockAsync(new GetBlockRequest { Height = 1 }, forCertificate).ResponseAsync,
            StatusCode.Unauthenticated, AccessCodes.IdentitySignatureInvalid);

        var lateClock = SignedBy((await MemberAsync(CorridorGenesis.KzCustoms, new ShiftedClock(TimeSpan.FromMinutes(-10)))).ReadSigner());
        var late = await RefusedAsync(() => lateClock.GetCertificateAsync(request).ResponseAsync, StatusCode.Unauthenticated, AccessCodes.IdentityTimeOutsideWindow);
        late.Status.Detail.Should().Contain("300 s");

        var stranger = SignatureSuites.Generate(KeySuite.Ed25519);
        var unknownKey = SignedBy(CallSigner.ForMember(ProcessNetwork.ChainId, CorridorGenesis.KzCustoms, stranger));
        (await RefusedAsync(() => unknownKey.GetCertificateAsync(request).ResponseAsync, StatusCode.PermissionDenied, AccessCodes.MemberKeyUnknown))
            .Status.Detail.Should().Contain($"not a key of organisation '{CorridorGenesis.KzCustoms}'");
        var unknownOrganisation = SignedBy(CallSigner.ForMember(ProcessNetwork.ChainId, "nobody", stranger));
        await RefusedAsync(() => unknownOrganisation.GetCertificateAsync(request).ResponseAsync, StatusCode.PermissionDenied, AccessCodes.MemberKeyUnknown);

        var otherChain = SignedBy(CallSigner.ForMember("another-chain", CorridorGenesis.KzCustoms,
            (await KeyFile.LoadAsync(NetworkLayout.MemberKeyPath(_fixture.Folder, CorridorGenesis.KzCustoms))).Pair));
        await RefusedAsync(() => otherChain.GetCertificateAsync(request).ResponseAsync, StatusCode.Unauthenticated, AccessCodes.IdentitySignatureInvalid);

        var partial = new Metadata { { CallIdentityHeaders.Caller, CorridorGenesis.KzCustoms }, { CallIdentityHeaders.Key, "ed25519:zz" } };
        (await RefusedAsync(() => Node.PublicClient.GetCertificateAsync(request, partial).ResponseAsync, StatusCode.Unauthenticated, AccessCodes.IdentityMalformed))
            .Status.Detail.Should().Contain(CallIdentityHeaders.TimeMs);
        var badKey = customs.ReadSigner().Headers("/ledger.v1.Ledger/GetCertificate", request);
        badKey.Remove(badKey.Get(CallIdentityHeaders.Key)!);
        badKey.Add(CallIdentityHeaders.Key, "ed25519:zz");
        (await RefusedAsync(() => Node.PublicClient.GetCertificateAsync(request, badKey).ResponseAsync, StatusCode.Unauthenticated, AccessCodes.IdentityMalformed))
            .Status.Detail.Should().Contain("ed25519:zz");

        await StillServingAsync();
    }

    [Fact]
    public async Task Node_to_node_calls_from_strangers_are_refused_and_counted_and_members_may_only_sync_blocks_and_forward_transactions()
    {
        var before = (await Node.PublicClient.GetStatusAsync(new GetStatusRequest())).AccessCounters.RefusedPeerCalls;
        var anonymous = PeerSignedBy(null);
        await RefusedAsync(async () =>
        {
            using var stream = anonymous.GetBlocks(new GetBlocksRequest { FromHeight = 1 });
            await stream.ResponseStream.MoveNext(CancellationToken.None);
        }, StatusCode.PermissionDenied, AccessCodes.PeerNotValidator);
        await RefusedAsync(async () =>
        {
            using var push = anonymous.Push();
            await push.ResponseAsync;
        }, StatusCode.PermissionDenied, AccessCodes.PeerNotValidator);

        var member = PeerSignedBy((await MemberAsync(CorridorGenesis.KzCustoms)).ReadSigner());
        var proposed = new GetProposedBlockRequest { BlockId = ByteString.CopyFrom(new byte[32]) };
        (await RefusedAsync(() => member.GetProposedBlockAsync(proposed).ResponseAsync, StatusCode.PermissionDenied, AccessCodes.PeerNotValidator))
            .Status.Detail.Should().Contain("not a validator key");

        // A member's key claiming to be validator 0 is no validator's key.
        var impostor = PeerSignedBy(CallSigner.ForValidator(ProcessNetwork.ChainId, 0,
            (await KeyFile.LoadAsync(NetworkLayout.MemberKeyPath(_fixture.Folder, CorridorGenesis.KzCustoms))).Pair));
        await RefusedAsync(() => impostor.GetProposedBlockAsync(proposed).ResponseAsync, StatusCode.PermissionDenied, AccessCodes.PeerNotValidator);

        // A read replica signs as a member: block sync answers.
        using (var sync = member.GetBlocks(new GetBlocksRequest { FromHeight = 1, MaxBlocks = 1 }))
        {
            (await sync.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
            sync.ResponseStream.Current.Block.Header.Height.Should().Be(1);
        }
        // A member's consensus message is dropped and counted; its stream is not a validator's.
        using (var push = member.Push())
        {
            await push.RequestStream.WriteAsync(new PeerEnvelope { FromValidator = 0, Vote = new VoteMessage { Type = VoteType.Prevote, Height = 1 } });
            await push.RequestStream.CompleteAsync();
            await push.ResponseAsync;
        }

        var validator = PeerSignedBy(CallSigner.ForValidator(ProcessNetwork.ChainId, 0,
            (await KeyFile.LoadAsync(Path.Combine(NetworkLayout.NodeFolder(_fixture.Folder, 0), NetworkLayout.ValidatorKeyFile))).Pair));
        var notHeld = await FluentActions.Awaiting(() => validator.GetProposedBlockAsync(proposed).ResponseAsync).Should().ThrowAsync<RpcException>();
        notHeld.Which.StatusCode.Should().Be(StatusCode.NotFound, "a validator passes the gate and is told the block is not here");
        var wrongIndex = PeerSignedBy(CallSigner.ForValidator(ProcessNetwork.ChainId, 1,
            (await KeyFile.LoadAsync(Path.Combine(NetworkLayout.NodeFolder(_fixture.Folder, 0), NetworkLayout.ValidatorKeyFile))).Pair));
        (await RefusedAsync(() => wrongIndex.GetProposedBlockAsync(proposed).ResponseAsync, StatusCode.PermissionDenied, AccessCodes.PeerNotValidator))
            .Status.Detail.Should().Contain("key of validator 0, not of validator '1'");

        var after = await Node.PublicClient.GetStatusAsync(new GetStatusRequest());
        after.AccessCounters.RefusedPeerCalls.Should().Be(before + 6,
            "two anonymous calls, a member, an impostor and a wrong index asking for a proposal, and a member's vote");
        await StillServingAsync();
    }
}
