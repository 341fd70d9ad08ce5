using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Node.Bench;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Back-pressure through the real node: one validator of four, alone so that nothing commits and the pool stays
/// full, its mempool limited to one transaction by a command-line override, on LiteDB files on disk.
/// </summary>
public sealed class MempoolFullTests : IAsyncLifetime
{
    private const string ChainId = "mempool-full";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-mempool-full-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyDictionary<string, KeyPair> _memberKeys = new Dictionary<string, KeyPair>();
    private Task? _run;
    private GrpcChannel? _channel;

    private Wire.Ledger.LedgerClient Client => new(_channel!);

    public async Task InitializeAsync()
    {
        var network = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), validatorCount: 4);
        _memberKeys = network.MemberKeys;
        var port = FreePorts.FindRange(4);
        await NetworkLayout.WriteAsync(_folder, network, port, new ConsensusTimeouts(), CancellationToken.None);
        var config = NodeConfig.Load(NetworkLayout.NodeConfigPath(_folder, 0), ConfigOverrides.Read(["Mempool:TransactionsMax=1"]));
        _run = Task.Run(() => LedgerNode.RunAsync(config, ConfigOverrides.None, KeyFileOptions.Default, _stop.Token));
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        // Waits for the node to listen: a call that waits for a ready connection until its deadline, not a polling loop.
        await Client.GetStatusAsync(new GetStatusRequest(), new CallOptions(deadline: DateTime.UtcNow.Add(BadInputNode.Deadline)).WithWaitForReady());
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_full_mempool_answers_resource_exhausted_with_its_rule_before_checking_a_signature_and_keeps_what_it_holds()
    {
        var chamber = CorridorGenesis.CnChamber;
        var txs = CertificateLoad.Sign(ChainId, [(chamber, _memberKeys[chamber])], 3, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var forged = txs[2].Clone();
        forged.Signature = ByteString.CopyFrom(new byte[forged.Signature.Length]);

        var first = await Client.SubmitAsync(new SubmitRequest { Transaction = txs[0] }, deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        var full = await BadInputCalls.RefusedAsync(o => Client.SubmitAsync(new SubmitRequest { Transaction = txs[1] }, o).ResponseAsync);
        var fullAndForged = await BadInputCalls.RefusedAsync(o => Client.SubmitAsync(new SubmitRequest { Transaction = forged }, o).ResponseAsync);
        // 65,537 bytes, one over limits.tx_bytes_max: no mempool could ever take it, so the rule answers, not the capacity.
        var oversized = new TxEnvelope { Body = ByteString.CopyFrom(new byte[65_533]) };
        oversized.CalculateSize().Should().Be(65_537);
        var fullAndTooLarge = await BadInputCalls.RefusedAsync(o => Client.SubmitAsync(new SubmitRequest { Transaction = oversized }, o).ResponseAsync);
        var again = await Client.SubmitAsync(new SubmitRequest { Transaction = txs[0] }, deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));

        first.TxId.ToByteArray().Should().Equal(TransactionSigner.IdOf(ChainId, txs[0]).ToArray());
        full.ShouldBeRefusal(StatusCode.ResourceExhausted, RuleCatalog.MempoolFull);
        fullAndForged.ShouldBeRefusal(StatusCode.ResourceExhausted, RuleCatalog.MempoolFull);
        fullAndTooLarge.ShouldBeRefusal(StatusCode.ResourceExhausted, RuleCatalog.TxTooLarge);
        again.TxId.ToByteArray().Should().Equal(first.TxId.ToByteArray(), "the transaction the pool holds is still pending, not refused as a second one");
        var status = await Client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        status.MempoolSize.Should().Be(1);
        status.Height.Should().Be(0, "one validator of four commits nothing");
    }
}
