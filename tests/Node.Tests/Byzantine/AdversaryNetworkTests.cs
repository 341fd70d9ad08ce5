using Ledger.Adversary;
using Ledger.Client.Audit;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.Byzantine;

/// <summary>
/// Three real validator processes and one hostile validator (<see cref="AdversaryValidator"/>, in the test process, with
/// its genuine key and endpoint). At ec96c90 its far-future votes sent every honest node syncing, on the consensus loop,
/// from a peer that stalled each answer for the call's 10 s; its tampered relays could leave the victim with an Invalid
/// verdict for a good block. The honest three must keep committing every transaction, and agree.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class AdversaryNetworkTests : IAsyncLifetime
{
    private const int Adversary = 3;
    private static readonly int[] Honest = [0, 1, 2];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-byzantine-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        if (Directory.Exists(_folder) && Environment.GetEnvironmentVariable("LEDGER_NETTEST_KEEP") is null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Three_honest_validators_keep_committing_beside_a_hostile_fourth()
    {
        var network = _network = await ProcessNetwork.StartAsync(_folder, 4, starts: i => i != Adversary);
        var key = (await KeyFile.LoadAsync(Path.Combine(NetworkLayout.NodeFolder(_folder, Adversary), NetworkLayout.ValidatorKeyFile))).Pair;
        await using var adversary = await AdversaryValidator.StartAsync(ProcessNetwork.ChainId, Adversary, key, network.Nodes[Adversary].Endpoint,
            Honest.Select(i => (i, network.Nodes[i].Endpoint)).ToArray(), victim: 0);
        await network.WaitForHeightAsync(1, Honest);
        var syncCallsAtStart = adversary.SyncCalls;

        // Rounds of ten at once, so that blocks carry transactions for the adversary to tamper with.
        var responses = new List<SubmitResponse>();
        for (var batch = 0; batch < 6; batch++)
        {
            var envelopes = Enumerable.Range(batch * 10, 10)
                .Select(i => CertificateTransactions.Issue(network.ChamberKey, $"BYZ-{i:D3}", (ulong)i + 1)).ToArray();
            responses.AddRange(await Task.WhenAll(envelopes.Select((e, i) => network.SubmitAndWaitAsync(Honest[i % Honest.Length], e))));
        }

        responses.Should().AllSatisfy(r =>
        {
            r.Committed.Should().BeTrue(network.Describe("every transaction commits beside the adversary"));
            r.Receipt.Receipt.Code.Should().Be(RuleCatalog.Ok);
        });
        var top = responses.Max(r => r.Receipt.Height);
        await network.WaitForHeightAsync(top, Honest);
        await network.AssertSameChainAsync(Honest, top);
        adversary.TamperedSent.Should().BeGreaterThan(0, "the victim was sent tampered copies");
        adversary.FarFutureSent.Should().BeGreaterThan(0);
        adversary.FloodSent.Should().BeGreaterThan(0);
        adversary.SyncCalls.Should().Be(syncCallsAtStart, network.Describe("one validator naming far heights sends no honest node syncing"));
        foreach (var node in Honest)
        {
            var status = await network.Nodes[node].Client.GetStatusAsync(new GetStatusRequest());
            status.ConsensusCounters.Equivocation.Should().BeGreaterThan(0, $"{network.Nodes[node].Name} saw the flood of conflicting votes as evidence");
        }
        await EvidenceIsCommittedAndAuditedAsync(network, top);
    }

    /// <summary>The honest nodes put proofs of the adversary's equivocation in blocks; an auditor's replay checks and lists them.</summary>
    private async Task EvidenceIsCommittedAndAuditedAsync(ProcessNetwork network, ulong top)
    {
        await network.WaitUntilAsync("an honest node commits a proof of the adversary's equivocation", async () =>
            (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).EvidenceCommitted > 0);
        var head = (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height;
        var blocks = new List<StoredBlock>();
        for (var h = 1UL; h <= head; h++)
        {
            blocks.Add(await network.Nodes[0].Client.GetBlockAsync(new GetBlockRequest { Height = h }));
        }
        var proofs = blocks.SelectMany(b => b.Block.Evidence).ToArray();
        proofs.Should().NotBeEmpty().And.OnlyContain(p => p.First.ValidatorIndex == Adversary && p.Second.ValidatorIndex == Adversary);

        var document = GenesisLoader.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, NetworkLayout.GenesisFile)));
        var (config, organisations) = GenesisLoader.Load(document);
        var auditor = new LedgerAuditor(config, GenesisState.Entries(config, organisations));
        var report = await auditor.RunAsync(blocks.ToAsyncEnumerable(), head, null, CancellationToken.None);

        report.Findings.Should().BeEmpty();
        report.EquivocationsByValidator.Should().ContainKey(config.Validators[Adversary].OrganisationId)
            .WhoseValue.Should().Be(proofs.Length);
        head.Should().BeGreaterThanOrEqualTo(top);
    }
}
