using Ledger.Contracts.Blocks;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class ReadReplicaTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-replica-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;
    private NodeProcess? _replica;

    public async Task InitializeAsync() => _network = await ProcessNetwork.StartAsync(_folder, 4);

    public async Task DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_read_replica_signing_as_a_member_catches_up_by_checked_block_sync_and_follows()
    {
        var network = _network!;
        await network.WaitForHeightAsync(1, network.Running);
        for (var i = 0; i < 3; i++)
        {
            var response = await network.Nodes[i].Client.SubmitAsync(new SubmitRequest
            {
                Transaction = CertificateTransactions.Issue(network.ChamberKey, $"RR-{i}", (ulong)i + 1),
                WaitForCommit = true,
                WaitTimeoutMs = 30_000,
            });
            response.Committed.Should().BeTrue();
        }
        var validatorConfig = NodeConfig.Load(NetworkLayout.NodeConfigPath(_folder, 0));
        var endpoint = $"http://127.0.0.1:{FreePorts.FindRange(1)}";
        var replicaFolder = Path.Combine(_folder, "replica");
        Directory.CreateDirectory(replicaFolder);
        var peers = network.Nodes.Select((n, i) => new PeerConfig(i, n.Endpoint)).ToArray();
        var config = validatorConfig with
        {
            NodeId = "replica",
            Listen = endpoint,
            DataDir = "data",
            GenesisFile = Path.Combine("..", NetworkLayout.GenesisFile),
            ValidatorKeyFile = null,
            Peers = peers,
            MemberKeyFile = NetworkLayout.MemberKeyPath(_folder, CorridorGenesis.KzCustoms)
        };
        var configPath = Path.Combine(replicaFolder, NetworkLayout.ConfigFile);
        await File.WriteAllTextAsync(configPath, config.ToJson());
        _replica = new NodeProcess("replica", configPath, endpoint, await ProcessNetwork.ReaderAsync(_folder));
        _replica.Start();

        var target = (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height + 2;
        await network.WaitUntilAsync($"the replica reaches height {target}", async () =>
        {
            try
            {
                return (await _replica.Client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Height >= target;
            }
            catch (Grpc.Core.RpcException)
            {
                return false;
            }
        });

        var status = await _replica.Client.GetStatusAsync(new GetStatusRequest());
        status.ValidatorIndex.Should().Be(-1, "a replica holds no validator key and never votes");
        for (var h = 1UL; h <= target; h++)
        {
            var ours = await _replica.Client.GetBlockAsync(new GetBlockRequest { Height = h });
            var theirs = await network.Nodes[h % 4 == 0 ? 1 : 0].Client.GetBlockAsync(new GetBlockRequest { Height = h });
            BlockHashing.HeaderHash(ours.Block.Header).Should().Be(BlockHashing.HeaderHash(theirs.Block.Header), $"height {h}");
            ours.Certificate.Should().NotBeNull();
        }
        var certificate = await _replica.Client.GetCertificateAsync(new GetCertificateRequest { CertificateId = "cn-ccpit/RR-2" });
        certificate.Status.Should().Be(CertificateStatus.Issued);
    }
}
