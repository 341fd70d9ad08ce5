using System.Security.Cryptography;
using Ledger.Client;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Node.Bench;
using Ledger.Node.Demo;
using Ledger.Wire;
using Microsoft.Extensions.Options;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.Client;

/// <summary>
/// The client library's calls that the demo and the command-line tests do not make, against a real
/// network of four node processes: replace, suspend and reinstate, duplicate after loss, a verification
/// request and its answer, a proven consignment read and the block stream.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class RoleClientsOnNetworkTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-clients-" + Guid.NewGuid().ToString("N"));
    private DemoNetwork? _network;
    private LedgerConnection? _connection;
    private LedgerNodeClient? _node;
    private GenesisDocument? _genesis;

    public async Task InitializeAsync()
    {
        _network = await DemoNetwork.StartAsync(_folder, 4, CancellationToken.None);
        _genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(_network.GenesisPath));
        var options = new LedgerClientOptions
        {
            ChainId = _genesis.ChainId,
            Genesis = _genesis,
            CommitWait = TimeSpan.FromSeconds(20),
            Reader = await MemberSigner.FromKeyFileAsync(_network.MemberKey(KzCustoms), _genesis.ChainId),
        };
        foreach (var endpoint in _network.Endpoints)
        {
            options.Endpoints.Add(endpoint);
        }
        _connection = new LedgerConnection(Options.Create(options));
        _node = new LedgerNodeClient(_connection, TrustedValidators.FromGenesis(_genesis));
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<MemberSigner> Signer(string organisation) =>
        await MemberSigner.FromKeyFileAsync(_network!.MemberKey(organisation), _genesis!.ChainId);

    [Fact]
    public async Task Every_chamber_and_customs_call_commits_on_a_real_network()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var chamber = new ChamberClient(_node!, await Signer(CnChamber));
        var customs = new ImportCustomsClient(_node!, await Signer(KzCustoms));
        var first = chamber.CertificateIdOf("RC-1");
        var replacement = chamber.CertificateIdOf("RC-2");

        (await chamber.IssueAsync(CertificateLoad.Certificate("RC-1", now))).Receipt.Code.Should().Be(RuleCatalog.Ok);
        (await chamber.SuspendAsync(first, "inquiry")).Receipt.Code.Should().Be(RuleCatalog.Ok);
        (await customs.VerifyCertificateAsync(first)).Status.Should().Be(CertificateStatus.Suspended);
        (await chamber.ReinstateAsync(first)).Receipt.Code.Should().Be(RuleCatalog.Ok);
        (await chamber.ReplaceAsync(first, CertificateLoad.Certificate("RC-2", now), "wrong consignee")).Receipt.Code.Should().Be(RuleCatalog.Ok);
        (await customs.VerifyCertificateAsync(first)).Status.Should().Be(CertificateStatus.Replaced);

        var duplicate = await chamber.IssueDuplicateAsync(replacement, "RC-2-DUP", SHA256.HashData("duplicate"u8), DateTimeOffset.UtcNow.AddMinutes(-1));
        duplicate.Receipt.Code.Should().Be(RuleCatalog.Ok);
        (await customs.VerifyCertificateAsync(chamber.CertificateIdOf("RC-2-DUP"))).Record!.DuplicateOf.Should().Be(replacement);

        var request = await customs.RequestVerificationAsync(replacement, "weights differ from the invoice");
        var requestId = Convert.ToHexStringLower(request.Receipt.TxId.Span);
        (await chamber.AnswerVerificationAsync(replacement, requestId, VerificationOutcome.Confirmed, "checked at the mill")).Receipt.Code.Should().Be(RuleCatalog.Ok);
        var answered = await customs.VerifyCertificateAsync(replacement);
        answered.Trust.Should().Be(AnswerTrust.Proven);
        answered.Record!.Verifications.Single().Outcome.Should().Be(VerificationOutcome.Confirmed);

        var refused = async () => await chamber.ReinstateAsync(replacement);
        (await refused.Should().ThrowAsync<LedgerRefusedException>()).Which.Code.Should().Be(RuleCatalog.CertNotActive);
    }

    [Fact]
    public async Task Each_node_answers_the_standard_grpc_health_check_as_serving()
    {
        foreach (var endpoint in _network!.Endpoints)
        {
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(endpoint);
            var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
            health.Status.Should().Be(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, endpoint);
        }
    }

    [Fact]
    public async Task Votes_with_bad_signatures_or_from_unknown_validators_are_dropped_and_counted()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(_network!.Endpoints[0]);
        var ledger = new Wire.Ledger.LedgerClient(channel);
        var before = await ledger.GetStatusAsync(new GetStatusRequest());
        // The stream is opened as validator 1 (connections are for validators); the votes in it are not its.
        var validatorKey = await Contracts.Crypto.KeyFile.LoadAsync(Path.Combine(Devnet.NetworkLayout.NodeFolder(_folder, 1), Devnet.NetworkLayout.ValidatorKeyFile));
        var asValidator = Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(),
            new CallSigningInterceptor(CallSigner.ForValidator(_genesis!.ChainId, 1, validatorKey.Pair)));
        using (var push = new Wire.Consensus.ConsensusClient(asValidator).Push())
        {
            var height = before.Height + 1;
            var blockId = Google.Protobuf.ByteString.CopyFrom(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray());
            await push.RequestStream.WriteAsync(new PeerEnvelope { FromValidator = 1, Vote = new VoteMessage { Type = VoteType.Prevote, Height = height, ValidatorIndex = 1, BlockId = blockId, Signature = Google.Protobuf.ByteString.CopyFrom(new byte[64]) } });
            await push.RequestStream.WriteAsync(new PeerEnvelope { FromValidator = 1, Vote = new VoteMessage { Type = VoteType.Prevote, Height = height, ValidatorIndex = 99, BlockId = blockId, Signature = Google.Protobuf.ByteString.CopyFrom(new byte[64]) } });
            await push.RequestStream.CompleteAsync();
            await push.ResponseAsync;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        NodeStatus after;
        do
        {
            after = await ledger.GetStatusAsync(new GetStatusRequest());
        }
        while ((after.ConsensusCounters.BadSignature <= before.ConsensusCounters.BadSignature
                || after.ConsensusCounters.UnknownValidator <= before.ConsensusCounters.UnknownValidator) && DateTime.UtcNow < deadline);
        after.ConsensusCounters.BadSignature.Should().BeGreaterThan(before.ConsensusCounters.BadSignature);
        after.ConsensusCounters.UnknownValidator.Should().BeGreaterThan(before.ConsensusCounters.UnknownValidator);
        after.Height.Should().BeGreaterThanOrEqualTo(before.Height, "the node keeps committing");
    }

    [Fact]
    public async Task A_consignment_read_with_proof_and_the_block_stream_work_on_a_real_network()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var chamber = new ChamberClient(_node!, await Signer(CnChamber));
        var export = new ExportCustomsClient(_node!, await Signer(CnCustoms));
        var customs = new ImportCustomsClient(_node!, await Signer(KzCustoms));
        await chamber.IssueAsync(CertificateLoad.Certificate("RC-C", now));
        var declaration = new DeclareConsignment
        {
            ConsignmentId = "RC-CONSIGNMENT",
            CertificateIds = { chamber.CertificateIdOf("RC-C") },
            Mode = TransportMode.Rail,
            Seals = { new Seal { SealId = "S-1" } },
            Itinerary = { new ItineraryStop { Checkpoint = Urumqi }, new ItineraryStop { Checkpoint = Almaty } },
        };
        var declared = await export.DeclareConsignmentAsync(declaration);

        var lookup = await customs.GetConsignmentAsync("RC-CONSIGNMENT");
        lookup.Trust.Should().Be(AnswerTrust.Proven);
        lookup.Verdict!.Kind.Should().Be(RouteVerdictKind.InTransit);
        (await customs.GetConsignmentAsync("NO-SUCH-CONSIGNMENT")).IsProvenAbsent.Should().BeTrue();

        var auditor = new AuditorClient(_node!);
        var streamed = new List<StoredBlock>();
        await foreach (var block in auditor.StreamBlocksAsync(1))
        {
            streamed.Add(block);
            if (block.Block.Header.Height >= declared.Height)
            {
                break;
            }
        }
        streamed.Select(b => b.Block.Header.Height).Should().Equal(Enumerable.Range(1, (int)declared.Height).Select(h => (ulong)h));
        streamed[^1].Receipts.Select(r => r.TxId).Should().Contain(declared.Receipt.TxId);
    }
}
