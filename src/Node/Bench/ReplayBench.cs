using System.Diagnostics;
using Google.Protobuf;
using Ledger.Client.Audit;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Node.Chain;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>
/// `ledger bench replay`: builds a ledger of N certificate transactions in memory (real signatures, real
/// commit certificates), then times the auditor's replay of it: hash chain, certificates, every
/// signature in parallel, re-execution and every root.
/// </summary>
public static class ReplayBench
{
    private const string ChainId = "bench-replay";

    public static async Task<ReplayBenchResult> RunAsync(int transactions, int perBlock, TextWriter progress, CancellationToken ct)
    {
        var chambers = Enumerable.Range(1, 4).Select(k => (Id: $"bench-ed25519-{k}", Suite: KeySuite.Ed25519)).ToArray();
        var (document, memberKeys, validatorKeys) = CorridorGenesis.Create(ChainId, DateTimeOffset.UtcNow.AddDays(-30), 4, chambers);
        var (config, organisations) = GenesisLoader.Load(document);
        var genesis = GenesisState.Entries(config, organisations);
        progress.WriteLine($"Building a ledger of {transactions} signed certificate transactions in blocks of {perBlock}...");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var envelopes = CertificateLoad.Sign(ChainId, chambers.Select(c => (c.Id, memberKeys[c.Id])).ToArray(), transactions, now);
        var blocks = Build(config, genesis, envelopes, perBlock, validatorKeys, now);

        progress.WriteLine($"Replaying {blocks.Count} blocks...");
        var clock = Stopwatch.StartNew();
        var auditor = new LedgerAuditor(config, genesis);
        var report = await auditor.RunAsync(Stream(blocks), (ulong)blocks.Count, null, ct);
        clock.Stop();
        return new ReplayBenchResult(transactions, blocks.Count, report.Findings.Count, clock.Elapsed.TotalSeconds,
            transactions / clock.Elapsed.TotalSeconds, Environment.ProcessorCount, SignatureRate.VerificationsPerSecond(KeySuite.Ed25519));
    }

    private static List<StoredBlock> Build(NetworkConfig config, IReadOnlyList<KeyValuePair<string, byte[]?>> genesis,
        IReadOnlyList<TxEnvelope> envelopes, int perBlock, IReadOnlyList<KeyPair> validatorKeys, long now)
    {
        var ledger = new InMemoryLedger(genesis);
        var decoded = envelopes.AsParallel().AsOrdered().Select(e => TransactionDecoder.Decode(e, config.ChainId, config.Limits).Transaction!).ToArray();
        var blocks = new List<StoredBlock>();
        var head = Hash32.Zero;
        var time = config.GenesisTimeMs;
        CommitCertificate? last = null;
        for (var start = 0; start < decoded.Length; start += perBlock)
        {
            var height = (ulong)blocks.Count + 1;
            var txs = decoded.Skip(start).Take(perBlock).ToArray();
            var view = new ChainView(config, height - 1, head, time, ledger.StateRoot, last, ledger.Values, ledger.TreeNodes);
            var proposed = BlockAssembler.Assemble(view, config.Validators[(int)(height % (ulong)config.Validators.Count)].OrganisationId, Math.Max(now, time + 1), txs);
            ledger.Apply(new BlockContext(config.ChainId, height, proposed.Block.Header.TimeMs), txs);
            var certificate = new CommitCertificate { Height = height, BlockHash = ByteString.CopyFrom(proposed.Id.Span) };
            var signBytes = ConsensusSignBytes.ForVote(config.ChainId, VoteType.Precommit, height, 0, proposed.Id);
            for (var v = 0; v < validatorKeys.Count; v++)
            {
                certificate.Signatures.Add(new CommitSignature { ValidatorIndex = (uint)v, Signature = ByteString.CopyFrom(SignatureSuites.Sign(validatorKeys[v].Private, signBytes)) });
            }
            var stored = new StoredBlock { Block = proposed.Block, Certificate = certificate };
            stored.Receipts.AddRange(proposed.Outcome.Receipts);
            blocks.Add(stored);
            head = proposed.Id;
            time = proposed.Block.Header.TimeMs;
            last = certificate;
        }
        return blocks;
    }

    private static async IAsyncEnumerable<StoredBlock> Stream(IEnumerable<StoredBlock> blocks)
    {
        foreach (var block in blocks)
        {
            yield return block;
        }
        await Task.CompletedTask;
    }
}
