using System.Text;
using Google.Protobuf;
using Ledger.Client.Audit;
using Ledger.Wire;

namespace Ledger.Node.Tests.Audit;

public sealed class LedgerAuditorTests
{
    private static async IAsyncEnumerable<StoredBlock> Stream(IEnumerable<StoredBlock> blocks)
    {
        foreach (var block in blocks)
        {
            yield return block;
            await Task.Yield();
        }
    }

    private static Task<AuditReport> Replay(AuditChain chain, IEnumerable<StoredBlock>? blocks = null) =>
        new LedgerAuditor(chain.Config, chain.Genesis).RunAsync(Stream(blocks ?? chain.Blocks), (ulong)chain.Blocks.Count, null, CancellationToken.None);

    [Fact]
    public async Task An_honest_ledger_replays_clean_to_the_same_state_root()
    {
        var chain = new AuditChain(blocks: 4, transactionsPerBlock: 3);
        var auditor = new LedgerAuditor(chain.Config, chain.Genesis);

        var report = await auditor.RunAsync(Stream(chain.Blocks), 4, null, CancellationToken.None);

        report.Findings.Should().BeEmpty();
        report.Blocks.Should().Be(4);
        report.Transactions.Should().Be(12);
        report.Signatures.Should().Be(12);
        report.Certificates.Should().Be(4);
        auditor.StateRoot.Should().Be(chain.FinalRoot);
    }

    [Fact]
    public async Task A_replay_in_small_batches_checks_each_batch_while_decoding_the_next_and_finds_the_same()
    {
        var chain = new AuditChain(blocks: 6, transactionsPerBlock: 3);
        var honest = new LedgerAuditor(chain.Config, chain.Genesis, batchTransactionsMax: 2);

        var clean = await honest.RunAsync(Stream(chain.Blocks), 6, null, CancellationToken.None);

        clean.Findings.Should().BeEmpty();
        clean.Transactions.Should().Be(18);
        honest.StateRoot.Should().Be(chain.FinalRoot);

        chain.Blocks[4].Block.Header.StateRoot = ByteString.CopyFrom(new byte[32]);
        var tampered = await new LedgerAuditor(chain.Config, chain.Genesis, batchTransactionsMax: 2).RunAsync(Stream(chain.Blocks), 6, null, CancellationToken.None);
        tampered.Findings.Should().Contain(f => f.Height == 5 && f.Check == "state root");
    }

    [Fact]
    public async Task A_flipped_byte_in_a_stored_transaction_is_found()
    {
        var chain = new AuditChain(3, 2);
        var body = chain.Blocks[1].Block.Transactions[0].Body.ToByteArray();
        body[^1] ^= 0x01;
        chain.Blocks[1].Block.Transactions[0].Body = ByteString.CopyFrom(body);

        var report = await Replay(chain);

        report.Findings.Should().Contain(f => f.Height == 2 && f.Check == "signature");
        report.Findings.Should().Contain(f => f.Height == 2 && f.Check == "transactions");
    }

    [Fact]
    public async Task A_dropped_precommit_signature_is_found()
    {
        var chain = new AuditChain(3, 1);
        var certificate = chain.Blocks[2].Certificate;
        certificate.Signatures.RemoveAt(3);
        certificate.Signatures.RemoveAt(2);

        var report = await Replay(chain);

        report.Findings.Should().ContainSingle(f => f.Height == 3 && f.Check == "commit certificate")
            .Which.Detail.Should().Contain("InsufficientPower");
    }

    [Fact]
    public async Task Two_reordered_transactions_are_found()
    {
        var chain = new AuditChain(2, 3);
        var txs = chain.Blocks[0].Block.Transactions;
        (txs[0], txs[2]) = (txs[2], txs[0]);

        var report = await Replay(chain);

        report.Findings.Should().Contain(f => f.Height == 1 && f.Check == "transactions");
    }

    [Fact]
    public async Task A_changed_state_value_shows_as_a_state_root_and_receipt_discrepancy()
    {
        var chain = new AuditChain(2, 2);
        // The node claims a different outcome: the receipt and the header's state root it serves differ.
        chain.Blocks[1].Receipts[0].Code = "OK";
        chain.Blocks[1].Block.Header.StateRoot = ByteString.CopyFrom(new byte[32]);

        var report = await Replay(chain);

        report.Findings.Should().Contain(f => f.Height == 2 && f.Check == "receipts");
        report.Findings.Should().Contain(f => f.Height == 2 && f.Check == "state root");
    }

    [Fact]
    public async Task A_replay_resumes_from_a_checkpoint_and_a_damaged_checkpoint_is_refused()
    {
        var chain = new AuditChain(4, 2);
        var first = new LedgerAuditor(chain.Config, chain.Genesis);
        await first.RunAsync(Stream(chain.Blocks.Take(2)), 4, null, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.ckpt");
        try
        {
            await first.Checkpoint().SaveAsync(path, CancellationToken.None);

            var resumed = new LedgerAuditor(chain.Config, chain.Genesis, AuditCheckpoint.Load(path));
            var report = await resumed.RunAsync(Stream(chain.Blocks.Skip(2)), 4, null, CancellationToken.None);

            report.Findings.Should().BeEmpty();
            report.FromHeight.Should().Be(3);
            resumed.StateRoot.Should().Be(chain.FinalRoot);

            var damaged = AuditCheckpoint.Load(path);
            var entries = damaged.Entries.ToArray();
            entries[0] = new(entries[0].Key, [1, 2, 3]);
            var act = () => new LedgerAuditor(chain.Config, chain.Genesis, damaged with { Entries = entries });
            act.Should().Throw<InvalidDataException>();

            // A transaction's mark is outside the root: the file's digest is what catches a damaged one.
            var bytes = await File.ReadAllBytesAsync(path);
            var mark = Encoding.UTF8.GetBytes(Contracts.State.StateKeys.TransactionPrefix);
            var at = bytes.AsSpan().IndexOf(mark);
            at.Should().BePositive("the checkpoint holds the chain's transaction marks");
            bytes[at + mark.Length] ^= 0x01;
            await File.WriteAllBytesAsync(path, bytes);
            var load = () => AuditCheckpoint.Load(path);
            load.Should().Throw<InvalidDataException>().WithMessage("*damaged*digest*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Progress_is_reported_with_a_rate()
    {
        var chain = new AuditChain(3, 2);
        var reports = new List<AuditProgress>();

        await new LedgerAuditor(chain.Config, chain.Genesis).RunAsync(Stream(chain.Blocks), 3, new SynchronousProgress(reports.Add), CancellationToken.None);

        reports.Should().NotBeEmpty();
        reports[^1].Height.Should().Be(3);
        reports[^1].Transactions.Should().Be(6);
    }

    private sealed class SynchronousProgress(Action<AuditProgress> report) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value) => report(value);
    }
}
