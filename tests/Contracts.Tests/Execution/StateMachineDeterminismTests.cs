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
