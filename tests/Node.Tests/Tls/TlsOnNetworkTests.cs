using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Contracts.Genesis;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Network;
using Ledger.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.Node.Tests.Tls;

/// <summary>
/// Four validators with TLS from configuration: they reach consensus over https to each other, a client
/// trusting the network's CA commits and reads, and plaintext or wrong-CA clients get no answer.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class TlsOnNetworkTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-tls-" + Guid.NewGuid().ToString("N"));
    private TestCertificates? _certificates;
    private ProcessNetwork? _network;

    public async Task InitializeAsync()
    {
        _certificates = new TestCertificates(Path.Combine(_folder, "tls"), "ledger test CA");
        var certificates = _certificates;
        _network = await ProcessNetwork.StartAsync(Path.Combine(_folder, "network"), 4, i => certificates.IssueNode($"node-{i + 1}"), certificates.CaFile);
    }

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        _certificates?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Validators_with_tls_commit_over_https_and_plaintext_or_wrong_ca_clients_are_refused()
    {
        var network = _network!;
        network.Nodes.Should().AllSatisfy(n => n.Endpoint.Should().StartWith("https://"));
        // Three of four validators must hear each other to commit: height 2 means the peer links work over TLS.
        await network.WaitForHeightAsync(2, network.Running);
        var submitted = await network.Nodes[0].Client.SubmitAsync(new SubmitRequest
        {
            Transaction = CertificateTransactions.Issue(network.ChamberKey, "TLS-1", 1),
            WaitForCommit = true,
            WaitTimeoutMs = 30_000,
        });
        submitted.Committed.Should().BeTrue();

        var root = Path.Combine(_folder, "network");
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(Path.Combine(root, NetworkLayout.GenesisFile)));
        var options = new LedgerClientOptions
        {
            ChainId = genesis.ChainId,
            Genesis = genesis,
            CaFilePath = _certificates!.CaFile,
            Reader = await MemberSigner.FromKeyFileAsync(NetworkLayout.MemberKeyPath(root, CorridorGenesis.KzCustoms), genesis.ChainId),
        };
        options.Endpoints.Add(network.Nodes[1].Endpoint);
        using (var connection = new LedgerConnection(Options.Create(options)))
        {
            var client = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
            var verified = await client.VerifyCertificateAsync(CertificateTransactions.IdOf("TLS-1"));
            verified.Trust.Should().Be(AnswerTrust.Proven);
            (await client.GetBlockAsync(submitted.Receipt.Height)).Block.Header.Height.Should().Be(submitted.Receipt.Height);
        }

        var port = new Uri(network.Nodes[0].Endpoint).Port;
        using (var plaintext = GrpcChannel.ForAddress($"http://127.0.0.1:{port}"))
        {
            var act = () => new Wire.Ledger.LedgerClient(plaintext).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;
            (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().NotBe(StatusCode.OK);
        }

        using var otherCa = new TestCertificates(Path.Combine(_folder, "other-ca"), "some other CA");
        var wrongCa = new GrpcChannelFactory(otherCa.CaFile).Create(network.Nodes[0].Endpoint);
        try
        {
            var act = () => new Wire.Ledger.LedgerClient(wrongCa).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;
            var refused = (await act.Should().ThrowAsync<RpcException>()).Which;
            // gRPC reports a failed handshake as Internal or Unavailable depending on where the connection broke.
            refused.StatusCode.Should().BeOneOf(StatusCode.Unavailable, StatusCode.Internal);
            refused.Status.DebugException.Should().NotBeNull();
            refused.Status.DebugException!.ToString().Should().Contain("AuthenticationException", "the TLS handshake fails on the node's certificate");
        }
        finally
        {
            (wrongCa as IDisposable)?.Dispose();
        }

        var height = (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height;
        await network.WaitForHeightAsync(height + 1, network.Running);
    }
}
