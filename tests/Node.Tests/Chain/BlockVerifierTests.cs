using Google.Protobuf;
using Ledger.Contracts.Execution;
using Ledger.Node.Chain;
using Ledger.Wire;

namespace Ledger.Node.Tests.Chain;

public sealed class BlockVerifierTests
{
    private const string Proposer = "validator-1";
    private static readonly string[] Validators = ["validator-1", "validator-2", "validator-3", "validator-4"];
    private readonly ChainFixture _chain = new();

    private ProposedBlock Assemble() =>
        BlockAssembler.Assemble(_chain.View(), Proposer, _chain.Config.GenesisTimeMs + 60_000, [_chain.Suspend("cn-ccpit/A"), _chain.Suspend("cn-ccpit/B")]);

    private BlockCheck Verify(Block block, Func<Ledger.Contracts.Crypto.Hash32, DecodedTransaction?>? known = null) =>
        BlockVerifier.Verify(_chain.View(), block, new BlockLimits(), known ?? (_ => null), _ => true, _ => null);

    [Fact]
    public void An_assembled_block_verifies_with_the_same_id_and_state_root()
    {
        var proposed = Assemble();

        var check = Verify(proposed.Block.Clone());

        check.Reason.Should().BeNull();
        check.Block!.Id.Should().Be(proposed.Id);
        check.Block.Outcome.StateRoot.Should().Be(proposed.Outcome.StateRoot);
        check.Block.Outcome.Receipts.Select(r => r.Code).Should().Equal("CERT_UNKNOWN", "CERT_UNKNOWN");
    }

    [Fact]
    public void Known_transactions_are_reused_without_a_second_decode()
    {
        var proposed = Assemble();
        var asked = new List<Ledger.Contracts.Crypto.Hash32>();

        var check = Verify(proposed.Block, id => { asked.Add(id); return proposed.Transactions.FirstOrDefault(t => t.Id == id); });

        check.Block.Should().NotBeNull();
        check.Block!.Transactions.Should().BeEquivalentTo(proposed.Transactions, o => o.WithStrictOrdering().ComparingByMembers<DecodedTransaction>());
        asked.Should().Equal(proposed.Transactions.Select(t => t.Id));
    }

    public static TheoryData<string> Tamperings => ["height", "time", "previous", "proposer", "state_root", "receipts_root", "tx_root", "tx_count", "signature", "duplicate_tx"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_block_tampered_anywhere_is_invalid(string what)
    {
        var block = Assemble().Block.Clone();
        var other = ByteString.CopyFrom(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray());
        switch (what)
        {
            case "height": block.Header.Height = 2; break;
            case "time": block.Header.TimeMs = _chain.Config.GenesisTimeMs; break;
            case "previous": block.Header.PreviousBlockHash = other; break;
            case "proposer": block.Header.Proposer = "cn-ccpit"; break;
            case "state_root": block.Header.StateRoot = other; break;
            case "receipts_root": block.Header.ReceiptsRoot = other; break;
            case "tx_root": (block.Transactions[0], block.Transactions[1]) = (block.Transactions[1], block.Transactions[0]); break;
            case "tx_count": block.Header.TxCount = 3; break;
            case "signature":
                var sig = block.Transactions[0].Signature.ToByteArray();
                sig[0] ^= 1;
                block.Transactions[0].Signature = ByteString.CopyFrom(sig);
                break;
            case "duplicate_tx": block.Transactions[1] = block.Transactions[0]; break;
        }

        Verify(block).Reason.Should().NotBeNull();
    }

    [Fact]
    public void A_block_over_the_transaction_limit_is_invalid()
    {
        var block = Assemble().Block;

        BlockVerifier.Verify(_chain.View(), block, new BlockLimits(TransactionsMax: 1), _ => null, _ => true, _ => null).Reason.Should().Contain("at most 1");
    }

    [Fact]
    public void A_block_after_the_first_needs_a_valid_last_commit()
    {
        var first = Assemble();
        var commit = new CommitCertificate { Height = 1, Round = 0, BlockHash = ByteString.CopyFrom(first.Id.Span) };
        var head = _chain.View(1, first.Id, first.Block.Header.TimeMs, commit);
        var second = BlockAssembler.Assemble(head, Proposer, first.Block.Header.TimeMs + 1_000, []);

        BlockVerifier.Verify(head, second.Block, new BlockLimits(), _ => null, _ => true, _ => null).Reason.Should().BeNull();
        BlockVerifier.Verify(head, second.Block, new BlockLimits(), _ => null, _ => false, _ => null).Reason.Should().Contain("two thirds");
        var withoutCommit = second.Block.Clone();
        withoutCommit.LastCommit = null;
        BlockVerifier.Verify(head, withoutCommit, new BlockLimits(), _ => null, _ => true, _ => null).Reason.Should().Contain("last_commit is missing");
    }
}
