using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Node.Services;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// Real validator processes of the built ledger.dll on 127.0.0.1, talking gRPC to each other and to
/// the test: commits and agreement, a SIGKILLed validator rejoining, no progress without a quorum, and
/// bad requests that leave the node serving. Every child is killed on dispose, pass or fail.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class NetworkTests : IAsyncLifetime
{
    private static readonly int[] All = [0, 1, 2, 3];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-nettest-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        // LEDGER_NETTEST_KEEP=1 keeps the folder, with each node's node.log, for a look after the run.
        if (Directory.Exists(_folder) && Environment.GetEnvironmentVariable("LEDGER_NETTEST_KEEP") is null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Four_validators_commit_certificates_and_agree()
    {
        var network = await StartAsync();
        var envelopes = Enumerable.Range(0, 20)
            .Select(i => CertificateTransactions.Issue(network.ChamberKey, $"NT-AGREE-{i:D3}", (ulong)i + 1)).ToArray();

        // To different nodes at once, so that blocks carry several and every node is an entry point.
        var responses = await Task.WhenAll(envelopes.Select((e, i) => network.SubmitAndWaitAsync(i % 4, e)));

        for (var i = 0; i < envelopes.Length; i++)
        {
            var response = responses[i];
            new Hash32(response.TxId.Span).Should().Be(CertificateTransactions.Id(envelopes[i]), "the id is the hash of the signed bytes");
            response.Committed.Should().BeTrue(network.Describe($"transaction {i} was submitted with wait_for_commit"));
            response.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, response.Receipt.Receipt.Message);
        }
        var top = responses.Max(r => r.Receipt.Height);
        await network.WaitForHeightAsync(top, All);
        await network.AssertSameChainAsync(All, top);
        await network.WaitUntilAsync("every node reports its three peers connected", async () =>
        {
            var statuses = await Task.WhenAll(All.Select(i => network.Nodes[i].TryStatusAsync()));
            return statuses.All(s => s is not null && s.Peers.Count == 3 && s.Peers.All(p => p.Connected));
        });
        foreach (var node in All)
        {
            await network.AssertStatusMatchesHeadAsync(node);
            foreach (var i in Enumerable.Range(0, envelopes.Length))
            {
                var id = CertificateTransactions.IdOf($"NT-AGREE-{i:D3}");
                var record = await network.Nodes[node].Client.GetCertificateAsync(new GetCertificateRequest { CertificateId = id });
                record.Id.Should().Be(id);
                record.Status.Should().Be(CertificateStatus.Issued);
                record.Certificate.Number.Should().Be($"NT-AGREE-{i:D3}");
            }
        }

        // The same envelope again, to every node: the same id, committed, the same receipt, and no second copy in the chain.
        var original = responses[0];
        foreach (var node in All)
        {
            var again = await network.SubmitAndWaitAsync(node, envelopes[0]);
            again.TxId.Should().Equal(original.TxId);
            again.Committed.Should().BeTrue();
            // The same receipt; its proof carries the certificate this node collected, which may name other signers.
            WithoutProof(again.Receipt).Should().Be(WithoutProof(original.Receipt), $"{network.Nodes[node].Name} answers a duplicate with the first commit's receipt");
            again.Receipt.Proof.Header.Should().Be(original.Receipt.Proof.Header);
            var info = await network.Nodes[node].Client.GetTransactionAsync(new GetTransactionRequest { TxId = original.TxId });
            WithoutProof(info.Receipt).Should().Be(WithoutProof(original.Receipt));
            info.Transaction.Should().Be(envelopes[0]);
        }
        // Two more heights give a wrongly re-admitted copy its chance to be committed; then count copies.
        var after = (await network.WaitForHeightAsync(top + 2, All)).Min(s => s.Height);
        var copies = 0;
        for (var h = 1UL; h <= after; h++)
        {
            var block = await network.Nodes[0].Client.GetBlockAsync(new GetBlockRequest { Height = h });
            copies += block.Block.Transactions.Count(t => t.Equals(envelopes[0]));
        }
        copies.Should().Be(1, "a transaction is committed once, however often it is submitted");
    }

    [Fact]
    public async Task A_validator_killed_with_SIGKILL_rejoins_and_converges()
    {
        var network = await StartAsync();
        var acknowledged = new List<Hash32>();
        await SubmitAndRecordAsync(network, All, "NT-KILL-A", 4, acknowledged);

        // Load runs from before the kill until the restarted node has caught up: it catches up to a moving head.
        var survivors = new[] { 0, 1, 2 };
        using var stopLoad = new CancellationTokenSource();
        var load = KeepSubmittingAsync(network, survivors, "NT-KILL-LOAD", acknowledged, stopLoad.Token);
        var killedAt = (await network.Nodes[3].Client.GetStatusAsync(new GetStatusRequest())).Height;
        await network.Nodes[3].KillAsync();
        // Far enough behind that it must fetch several blocks, not only hear one commit offer.
        var reached = (await network.WaitForHeightAsync(killedAt + 8, survivors)).Max(s => s.Height);

        network.Nodes[3].Start();
        await network.WaitForHeightAsync(reached, [3]);
        await stopLoad.CancelAsync();
        await load;
        // Past the height it caught up to, it keeps up with the others.
        await SubmitAndRecordAsync(network, All, "NT-KILL-C", 4, acknowledged);
        var height = (await network.WaitForHeightAsync(reached + 2, All)).Min(s => s.Height);

        await network.AssertSameChainAsync(All, height);
        foreach (var node in All)
        {
            await network.AssertStatusMatchesHeadAsync(node);
            foreach (var id in acknowledged)
            {
                var info = await network.Nodes[node].Client.GetTransactionAsync(new GetTransactionRequest { TxId = ByteString.CopyFrom(id.Span) });
                info.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, $"{network.Nodes[node].Name} holds acknowledged transaction {id}");
            }
        }
    }

    [Fact]
    public async Task With_two_of_four_down_nothing_commits_and_one_back_resumes()
    {
        var network = await StartAsync();
        await network.WaitForHeightAsync(2, All);
        await network.Nodes[2].KillAsync();
        await network.Nodes[3].KillAsync();
        var survivors = new[] { 0, 1 };

        // A block already voted before the kills may still land; wait until both survivors stand at one height.
        var stuck = 0UL;
        await network.WaitUntilAsync("both survivors at the same height", async () =>
        {
            var statuses = await Task.WhenAll(survivors.Select(i => network.Nodes[i].TryStatusAsync()));
            stuck = statuses[0]?.Height ?? 0;
            return statuses.All(s => s is not null && s.Height == stuck);
        });
        var pending = CertificateTransactions.Issue(network.ChamberKey, "NT-STALL-1", 1);
        // One client waits through the stall; a retry of the same transaction gives up after a second. The
        // retry giving up must not stop the first from hearing of the commit.
        var patient = network.Nodes[0].Client.SubmitAsync(
            new SubmitRequest { Transaction = pending, WaitForCommit = true, WaitTimeoutMs = 60_000 }, deadline: DateTime.UtcNow.AddSeconds(90)).ResponseAsync;
        var impatient = await network.Nodes[0].Client.SubmitAsync(new SubmitRequest { Transaction = pending, WaitForCommit = true, WaitTimeoutMs = 1_000 });
        impatient.Committed.Should().BeFalse("nothing commits with two of four validators down");

        // Two validators of four are no quorum: Tendermint neither commits nor, without 2f+1 prevotes, starts
        // the prevote timeout, so the round does not move either (PROTOCOL.md, L34). What shows that consensus
        // time passed is the clock: each poll is a full round-0 timeout sequence and a retransmission apart.
        var t = ProcessNetwork.Timeouts;
        var roundMs = t.ProposeBaseMs + t.PrevoteBaseMs + t.PrecommitBaseMs + t.RebroadcastMs;
        var observations = new List<string>();
        for (var poll = 0; poll < 3; poll++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(roundMs));
            foreach (var i in survivors)
            {
                var status = await network.Nodes[i].TryStatusAsync()
                    ?? throw new InvalidOperationException(network.Describe($"{network.Nodes[i].Name} stopped answering while stalled"));
                observations.Add($"poll {poll}: {network.Nodes[i].Name} height {status.Height} round {status.Round} mempool {status.MempoolSize}");
                status.Height.Should().Be(stuck, network.Describe("nothing commits with two of four validators down:\n" + string.Join("\n", observations)));
                status.Peers.Where(p => p.ValidatorIndex >= 2).Should().OnlyContain(p => !p.Connected,
                    $"{network.Nodes[i].Name} does not report its links to the killed validators as connected");
            }
        }
        await network.AssertSameChainAsync(survivors, stuck);

        network.Nodes[2].Start();
        var up = new[] { 0, 1, 2 };
        var resumed = (await network.WaitForHeightAsync(stuck + 2, up)).Min(s => s.Height);
        await network.AssertSameChainAsync(up, resumed);
        // Well inside its own 60 s wait: the commit comes seconds after the third validator is back.
        var answered = await Task.WhenAny(patient, Task.Delay(TimeSpan.FromSeconds(30)));
        (answered == patient).Should().BeTrue(network.Describe("the client waiting through the stall is answered once its transaction commits"));
        (await patient).Committed.Should().BeTrue();
        (await patient).Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok);
        await network.WaitUntilAsync("the transaction submitted during the stall committed on the three nodes up", async () =>
        {
            foreach (var i in up)
            {
                var answer = await network.Nodes[i].Client.SubmitAsync(new SubmitRequest { Transaction = pending });
                if (!answer.Committed)
                {
                    return false;
                }
                answer.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, answer.Receipt.Receipt.Message);
            }
            return true;
        });
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_the_node_keeps_serving()
    {
        var network = await StartAsync();
        var client = network.Nodes[0].Client;
        var before = (await network.WaitForHeightAsync(1, All))[0].Height;

        var empty = await RefusedAsync(() => client.SubmitAsync(new SubmitRequest()).ResponseAsync);
        empty.StatusCode.Should().Be(StatusCode.InvalidArgument, "a Submit without a transaction is refused");

        var garbage = new TxEnvelope { Body = ByteString.CopyFrom(0x00, 0x01, 0x02), Signature = ByteString.CopyFrom(new byte[64]) };
        var malformed = await RefusedAsync(() => client.SubmitAsync(new SubmitRequest { Transaction = garbage }).ResponseAsync);
        malformed.StatusCode.Should().Be(StatusCode.InvalidArgument);
        malformed.Trailers.GetValue(RefusalStatus.RuleCodeTrailer).Should().Be(RuleCatalog.TxMalformed);

        var foreign = CertificateTransactions.Sign(network.ChamberKey, 1,
            b => b.RevokeCertificate = new RevokeCertificate { CertificateId = "x/y", Reason = "r" }, chainId: "another-chain");
        var wrongChain = await RefusedAsync(() => client.SubmitAsync(new SubmitRequest { Transaction = foreign }).ResponseAsync);
        wrongChain.StatusCode.Should().Be(StatusCode.InvalidArgument);
        wrongChain.Trailers.GetValue(RefusalStatus.RuleCodeTrailer).Should().Be(RuleCatalog.WrongChain);

        // A contract's refusal is a committed receipt, not a gRPC error.
        var revoke = CertificateTransactions.Revoke(network.ChamberKey, CertificateTransactions.IdOf("NT-NEVER-ISSUED"), 2);
        var refused = await network.SubmitAndWaitAsync(0, revoke);
        refused.Committed.Should().BeTrue();
        refused.Receipt.Receipt.Code.Should().Be(RuleCatalog.CertUnknown);

        var head = (await client.GetStatusAsync(new GetStatusRequest())).Height;
        var future = await RefusedAsync(() => client.GetBlockAsync(new GetBlockRequest { Height = head + 1_000 }).ResponseAsync);
        future.StatusCode.Should().Be(StatusCode.NotFound);

        var shortId = await RefusedAsync(() => client.GetTransactionAsync(new GetTransactionRequest { TxId = ByteString.CopyFrom(1, 2, 3) }).ResponseAsync);
        shortId.StatusCode.Should().Be(StatusCode.InvalidArgument);

        var status = await client.GetStatusAsync(new GetStatusRequest());
        status.ChainId.Should().Be(ProcessNetwork.ChainId);
        await network.WaitForHeightAsync(Math.Max(before, status.Height) + 2, All);
    }

    private async Task<ProcessNetwork> StartAsync()
    {
        _network = await ProcessNetwork.StartAsync(_folder, validators: 4);
        await _network.WaitForHeightAsync(1, All);
        return _network;
    }

    private static CommittedReceipt WithoutProof(CommittedReceipt receipt)
    {
        var copy = receipt.Clone();
        copy.Proof = null;
        return copy;
    }

    /// <summary>Submits <paramref name="count"/> certificates round-robin to <paramref name="nodes"/>; each must commit with OK.</summary>
    private static async Task SubmitAndRecordAsync(ProcessNetwork network, int[] nodes, string prefix, int count, List<Hash32> acknowledged)
    {
        var envelopes = Enumerable.Range(0, count).Select(i => CertificateTransactions.Issue(network.ChamberKey, $"{prefix}-{i:D3}", (ulong)i + 1)).ToArray();
        var responses = await Task.WhenAll(envelopes.Select((e, i) => network.SubmitAndWaitAsync(nodes[i % nodes.Length], e)));
        foreach (var response in responses)
        {
            response.Committed.Should().BeTrue(network.Describe($"a {prefix} transaction was submitted with wait_for_commit"));
            response.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok, response.Receipt.Receipt.Message);
            acknowledged.Add(new Hash32(response.TxId.Span));
        }
    }

    /// <summary>Batches of one certificate per node, each committed with OK before the next batch, until stopped.</summary>
    private static async Task KeepSubmittingAsync(ProcessNetwork network, int[] nodes, string prefix, List<Hash32> acknowledged, CancellationToken stop)
    {
        await Task.Yield();
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var batchAcknowledged = new List<Hash32>();
            await SubmitAndRecordAsync(network, nodes, $"{prefix}-{batch:D3}", nodes.Length, batchAcknowledged);
            lock (acknowledged)
            {
                acknowledged.AddRange(batchAcknowledged);
            }
        }
    }

    private static async Task<RpcException> RefusedAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            return e;
        }
        throw new InvalidOperationException("the call was expected to be refused, and it succeeded");
    }
}
