using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Telemetry;

/// <summary>
/// The node's instruments, on the meter "Ledger.Node"; OpenTelemetry exports them (Prometheus names in
/// docs/OPERATIONS.md). Counters are recorded where things happen; gauges are read when scraped.
/// </summary>
public sealed class NodeMetrics
{
    public const string MeterName = "Ledger.Node";
    public const string CommitLatency = "ledger.commit.latency";

    /// <summary>Commit latency buckets, in seconds: a block takes about a second, a stalled round many.</summary>
    public static readonly double[] CommitLatencyBucketsSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _latency;

    public NodeMetrics(IMeterFactory meters, NodeServices node)
    {
        _meter = meters.Create(MeterName);
        _blocks = _meter.CreateCounter<long>("ledger.blocks.committed", "{block}", "Blocks committed by this node, by consensus or block sync");
        _transactions = _meter.CreateCounter<long>("ledger.transactions.committed", "{transaction}", "Transactions in the blocks committed, refused ones included");
        _refused = _meter.CreateCounter<long>("ledger.transactions.refused", "{transaction}",
            "Transactions refused, by rule code: stage=admission at this node's Submit, stage=execution in committed blocks");
        _latency = _meter.CreateHistogram<double>(CommitLatency, "s",
            "From a transaction's admission to this node's mempool to this node's commit of its block");
        _meter.CreateObservableGauge("ledger.chain.height", () => (long)node.Store.Head.Height, "{block}", "Height of the last committed block");
        _meter.CreateObservableGauge("ledger.mempool.transactions", () => node.Pool.Count, "{transaction}", "Transactions waiting for a block");
        _meter.CreateObservableGauge("ledger.mempool.bytes", () => node.Pool.Bytes, "By", "Bytes of the transactions waiting for a block");
        _meter.CreateObservableGauge("ledger.peers.connected", () => node.Network.Links.Count(l => l.Connected), "{peer}", "Validators this node's links reach");
    }

    /// <summary>The consensus loop's own state: its round and the messages it dropped, by reason.</summary>
    public void Observe(ConsensusHost host)
    {
        _meter.CreateObservableGauge("ledger.consensus.round", () => host.Round, "{round}", "Round of the height being decided");
        _meter.CreateObservableCounter("ledger.consensus.messages.dropped", () => DroppedMessages.Of(host), "{message}",
            "Consensus messages dropped or refused, by reason");
        _meter.CreateObservableCounter("ledger.evidence.committed", () => host.EvidenceCommitted, "{proof}",
            "Equivocation proofs in the blocks this node committed since it started");
    }

    public void Refused(string code, string stage) =>
        _refused.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("stage", stage));

    /// <summary>A block was committed: <paramref name="admittedAt"/> holds when this node admitted each of its transactions it had.</summary>
    public void Committed(IReadOnlyList<Receipt> receipts, IReadOnlyList<long> admittedAt)
    {
        _blocks.Add(1);
        _transactions.Add(receipts.Count);
        foreach (var receipt in receipts.Where(r => r.Code != Ledger.Contracts.Rules.RuleCatalog.Ok))
        {
            Refused(receipt.Code, "execution");
        }
        foreach (var admitted in admittedAt)
        {
            _latency.Record(Stopwatch.GetElapsedTime(admitted).TotalSeconds);
        }
    }
}
