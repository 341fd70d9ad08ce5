using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Execution;

public sealed class StateMachineDeterminismTests
{
    private static IReadOnlyList<KeyValuePair<string, byte[]?>> Genesis(IEnumerable<Organisation> organisations) =>
        GenesisState.Entries(TestNetwork.Config(), organisations.ToArray());

    /// <summary>Blocks of the corridor story, each decoded afresh so no object is shared between runs.</summary>
    private static List<(BlockContext Block, DecodedTransaction[] Txs)> Blocks()
    {
        var maker = new TestLedger();
        var t = maker.TimeMs;
        var certs = Enumerable.Range(1, 5).Select(i => maker.Decode(TestLedger.Body(TestNetwork.CnChamber,
            b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate($"CN-{i}", t) }))).ToArray();
        var declare = maker.Decode(TestLedger.Body(TestNetwork.CnCustoms, b => b.DeclareConsignment = Samples.RailConsignment("C-1", TestNetwork.CnChamber + "/CN-1")));
        var depart = maker.Decode(TestLedger.Body(TestNetwork.PostUrumqi,
            b => b.RecordCheckpointEvent = Samples.Event("C-1", TestNetwork.Urumqi, CheckpointEventKind.Departure, t, "SEAL-A", "SEAL-B")));
        var refused = maker.Decode(TestLedger.Body(TestNetwork.KzChamber,
            b => b.RevokeCertificate = new RevokeCertificate { CertificateId = TestNetwork.CnChamber + "/CN-2", Reason = "not ours" }));
        return
        [
            (new BlockContext(TestNetwork.ChainId, 1, t), certs),
            (new BlockContext(TestNetwork.ChainId, 2, t + 1_000), [declare, refused]),
            (new BlockContext(TestNetwork.ChainId, 3, t + 2_000), [depart, certs[0]]),
        ];
    }

    [Fact]
    public void Two_instances_applying_the_same_blocks_agree_on_every_root_and_receipt()
    {
        var a = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        var b = new InMemoryLedger(Genesis(TestNetwork.Organisations().Reverse()));
        a.StateRoot.Should().Be(b.StateRoot, "the organisation index is sorted, whatever order the genesis lists them in");

        foreach (var ((block, txs), (_, sameTxs)) in Blocks().Zip(Blocks()))
        {
            var outcomeA = a.Apply(block, txs);
            var outcomeB = b.Apply(block, sameTxs);
            outcomeB.StateRoot.Should().Be(outcomeA.StateRoot, $"height {block.Height}");
            outcomeB.Receipts.Should().Equal(outcomeA.Receipts);
        }
        a.StateRoot.Should().NotBe(SparseMerkleTree.EmptyRoot);
    }

    [Fact]
    public void The_root_is_the_root_of_the_whole_state_however_the_blocks_were_batched()
    {
        var ledger = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        foreach (var (block, txs) in Blocks())
        {
            ledger.Apply(block, txs);
        }

        // Rebuild the tree from scratch from the final values, in one batch.
        var values = ((InMemoryState)ledger.Values).Entries.Select(e => new KeyValuePair<string, byte[]?>(e.Key, e.Value)).ToArray();
        LedgerStateMachine.Genesis(values, new InMemoryTreeNodeStore()).Root.Should().Be(ledger.StateRoot);
    }

    [Fact]
    public void Transaction_marks_are_in_the_state_and_left_out_of_its_root()
    {
        var ledger = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        var blocks = Blocks();
        foreach (var (block, txs) in blocks)
        {
            ledger.Apply(block, txs);
        }
        var entries = ((InMemoryState)ledger.Values).Entries.Select(e => new KeyValuePair<string, byte[]?>(e.Key, e.Value)).ToArray();
        var marks = entries.Where(e => e.Key.StartsWith(StateKeys.TransactionPrefix, StringComparison.Ordinal)).ToArray();
        marks.Should().HaveCount(blocks.Sum(b => b.Txs.Length) - 1, "every transaction is marked once; the replayed one is not marked again");

        static Hash32 RootOf(IEnumerable<KeyValuePair<string, byte[]?>> entries) =>
            new SparseMerkleTree(new InMemoryTreeNodeStore(), SparseMerkleTree.EmptyRoot)
                .Apply([.. entries.Select(e => new KeyValuePair<byte[], byte[]?>(LedgerStateMachine.TreeKey(e.Key), e.Value))]).Root;

        RootOf(entries.Except(marks)).Should().Be(ledger.StateRoot);
        RootOf(entries).Should().NotBe(ledger.StateRoot);
        var proveMark = () => ledger.Prove(marks[0].Key);
        proveMark.Should().Throw<ArgumentException>().WithMessage("*not under the state root*");
    }

    [Fact]
    public void A_block_whose_transactions_are_all_refused_leaves_the_root_as_it_was_and_still_refuses_their_replay()
    {
        var maker = new TestLedger();
        var ledger = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        var revoke = maker.Decode(TestLedger.Body(TestNetwork.KzChamber,
            b => b.RevokeCertificate = new RevokeCertificate { CertificateId = TestNetwork.CnChamber + "/CN-404", Reason = "no such" }));
        var before = ledger.StateRoot;

        var refused = ledger.Apply(new BlockContext(TestNetwork.ChainId, 1, maker.TimeMs), [revoke]);
        var replayed = ledger.Apply(new BlockContext(TestNetwork.ChainId, 2, maker.TimeMs + 1_000), [revoke]);

        refused.Receipts.Single().Code.Should().NotBe("OK");
        refused.StateRoot.Should().Be(before, "a refused transaction changes nothing but its mark, which the root leaves out");
        refused.Changes.Should().ContainSingle().Which.Key.Should().StartWith(StateKeys.TransactionPrefix);
        replayed.Receipts.Single().Code.Should().Be("TX_DUPLICATE", "the mark is still in the state");
        replayed.Changes.Should().BeEmpty();
    }

    [Fact]
    public void Receipts_say_which_transactions_were_refused_and_the_replay_of_a_committed_one()
    {
        var ledger = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        var receipts = Blocks().SelectMany(b => ledger.Apply(b.Block, b.Txs).Receipts).Select(r => r.Code).ToArray();

        receipts.Should().Equal("OK", "OK", "OK", "OK", "OK", "OK", "REVOKER_NOT_ISSUER", "OK", "TX_DUPLICATE");
    }

    [Fact]
    public void A_proof_from_the_ledger_shows_a_certificate_and_the_absence_of_another()
    {
        var ledger = new InMemoryLedger(Genesis(TestNetwork.Organisations()));
        foreach (var (block, txs) in Blocks())
        {
            ledger.Apply(block, txs);
        }
        var present = StateKeys.Certificate(TestNetwork.CnChamber + "/CN-3");
        var absent = StateKeys.Certificate(TestNetwork.CnChamber + "/CN-99");

        Ledger.Contracts.StateTree.StateProof.Verify(ledger.StateRoot, LedgerStateMachine.TreeKey(present), ledger.Values.Get(present), ledger.Prove(present)).Should().BeTrue();
        Ledger.Contracts.StateTree.StateProof.Verify(ledger.StateRoot, LedgerStateMachine.TreeKey(absent), null, ledger.Prove(absent)).Should().BeTrue();
        Ledger.Contracts.StateTree.StateProof.Verify(ledger.StateRoot, LedgerStateMachine.TreeKey(present), null, ledger.Prove(present)).Should().BeFalse();
    }
}
