using Grpc.Net.Client;
using Ledger.Node.Tests.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.Access;

/// <summary>One validator process with one committed certificate, shared by the access tests (each reads counters as deltas).</summary>
public sealed class AccessNetworkFixture : IAsyncLifetime
{
    public const string Number = "ACCESS-1";
    private ProcessNetwork? _network;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "ledger-access-" + Guid.NewGuid().ToString("N"));

    public ProcessNetwork Network => _network ?? throw new InvalidOperationException("the network has not started");

    public GrpcChannel Channel { get; private set; } = null!;

    public CommittedReceipt Issued { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _network = await ProcessNetwork.StartAsync(Folder, 1);
        await _network.WaitForHeightAsync(1, [0]);
        var response = await _network.Nodes[0].Client.SubmitAsync(new SubmitRequest
        {
            Transaction = CertificateTransactions.Issue(_network.ChamberKey, Number, 1),
            WaitForCommit = true,
            WaitTimeoutMs = 30_000,
        });
        response.Committed.Should().BeTrue(_network.Describe("the certificate is committed"));
        Issued = response.Receipt;
        Channel = GrpcChannel.ForAddress(_network.Nodes[0].Endpoint);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(Folder, recursive: true);
    }
}
