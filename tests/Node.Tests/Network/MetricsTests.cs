using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Ledger.Node.Devnet;
using Ledger.Node.Services;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly int _metricsPort = FreePorts.FindRange(1);
    private ProcessNetwork? _network;

    public async Task InitializeAsync() =>
        _network = await ProcessNetwork.StartAsync(_folder, 1, arguments: _ => ["--set", $"Metrics:Listen=127.0.0.1:{_metricsPort}"]);

    public async Task DisposeAsync()
    {
        await _network!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_scrape_after_commits_shows_the_height_and_the_refusals_by_rule_code()
    {
        var network = _network!;
        var node = network.Nodes[0];
        await network.WaitForHeightAsync(1, [0]);
        var issued = await node.Client.SubmitAsync(new SubmitRequest { Transaction = CertificateTransactions.Issue(network.ChamberKey, "M-1", 1), WaitForCommit = true, WaitTimeoutMs = 30_000 });
        issued.Receipt.Receipt.Code.Should().Be("OK");
        // The same certificate number again passes admission and is refused by the contracts in a block.
        var again = await node.Client.SubmitAsync(new SubmitRequest { Transaction = CertificateTransactions.Issue(network.ChamberKey, "M-1", 2), WaitForCommit = true, WaitTimeoutMs = 30_000 });
        again.Committed.Should().BeTrue();
        again.Receipt.Receipt.Code.Should().NotBe("OK");
        // Signed for another chain: refused at admission, with its rule code in a trailer.
        var foreign = () => node.Client.SubmitAsync(new SubmitRequest { Transaction = CertificateTransactions.Sign(network.ChamberKey, 3, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = "M-1", Reason = "test" }, "other-chain") }).ResponseAsync;
        var admissionCode = (await foreign.Should().ThrowAsync<RpcException>()).Which.Trailers.GetValue(RefusalStatus.RuleCodeTrailer);
        admissionCode.Should().NotBeNullOrEmpty();

        var before = (await node.Client.GetStatusAsync(new GetStatusRequest())).Height;
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics"));
        var after = (await node.Client.GetStatusAsync(new GetStatusRequest())).Height;

        Value(text, "ledger_chain_height").Should().BeInRange(before, after, "the height gauge is read at the scrape, between the two statuses");
        Value(text, "ledger_transactions_refused_total", $"code=\"{again.Receipt.Receipt.Code}\"", "stage=\"execution\"").Should().Be(1);
        Value(text, "ledger_transactions_refused_total", $"code=\"{admissionCode}\"", "stage=\"admission\"").Should().Be(1);
        Value(text, "ledger_transactions_committed_total").Should().Be(2);
        Value(text, "ledger_commit_latency_seconds_count").Should().Be(2, "both committed transactions were admitted by this node");
        Value(text, "ledger_mempool_transactions").Should().Be(0);
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static ulong Value(string text, string name, params string[] labels)
    {
        var samples = text.Split('\n')
            .Select(line => Regex.Match(line, $@"^{name}(?:\{{(?<labels>[^}}]*)\}})? (?<value>\S+)"))
            .Where(m => m.Success && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .ToArray();
        samples.Should().ContainSingle($"one sample of {name} with {string.Join(", ", labels)} in:\n{text}");
        return (ulong)double.Parse(samples[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }
}
