using Google.Protobuf;
using Ledger.Client;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Node.Chain;
using Ledger.Node.Network;
using Ledger.Node.Tests.Chain;
using Ledger.Node.Tests.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Byzantine;

/// <summary>Two conflicting signed votes become a proof any node checks, a block commits once, and the state keeps.</summary>
public sealed class EquivocationProofTests
{
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private static readonly Hash32 B = Hash32.Sha256("b"u8);
    private static readonly string[] Validators = ["validator-1", "validator-2", "validator-3", "validator-4"];
    private readonly DriverTestHost _host = new();

    private VoteMessage Vote(int validator, VoteType type, ulong height, int round, Hash32? value) =>
        ConsensusWire.ToWire(_host.Vote(validator, type, height, round, value));

    private string? Mismatch(EquivocationProof proof, ulong blockHeight = 10) =>
        EquivocationProofs.Mismatch(DriverTestHost.Chain, _host.Validators, _host.Keys, blockHeight, proof);

    [Fact]
    public void Two_votes_of_one_validator_for_different_values_are_a_proof_in_one_order_whichever_came_first()
    {
        var ab = EquivocationProofs.Of(Vote(2, VoteType.Precommit, 5, 1, A), Vote(2, VoteType.Precommit, 5, 1, B))!;
        var ba = EquivocationProofs.Of(Vote(2, VoteType.Precommit, 5, 1, B), Vote(2, VoteType.Precommit, 5, 1, A))!;

        Mismatch(ab).Should().BeNull();
        ba.Should().Be(ab);
        EquivocationProofs.StateKey(ab).Should().Be("evidence/2/5/1/precommit");
        EquivocationProofs.Of(Vote(2, VoteType.Precommit, 5, 1, A), Vote(2, VoteType.Precommit, 5, 1, A)).Should().BeNull();
    }

    [Fact]
    public void A_vote_for_nil_conflicts_with_a_vote_for_a_value()
    {
        Mismatch(EquivocationProofs.Of(Vote(1, VoteType.Prevote, 5, 0, null), Vote(1, VoteType.Prevote, 5, 0, A))!).Should().BeNull();
    }

    [Fact]
    public void Votes_that_do_not_prove_a_fault_are_refused_with_the_rule_they_break()
    {
        var proof = EquivocationProofs.Of(Vote(2, VoteType.Prevote, 5, 1, A), Vote(2, VoteType.Prevote, 5, 1, B))!;
        var otherValidator = proof.Clone();
        otherValidator.Second = Vote(3, VoteType.Prevote, 5, 1, proof.Second.BlockId.Length == 0 ? null : new Hash32(proof.Second.BlockId.Span));
        var otherRound = proof.Clone();
        otherRound.Second = Vote(2, VoteType.Prevote, 5, 2, new Hash32(proof.Second.BlockId.Span));
        var swapped = new EquivocationProof { First = proof.Second, Second = proof.First };
        var forged = proof.Clone();
        forged.Second.Signature = ByteString.CopyFrom(new byte[forged.Second.Signature.Length]);

        Mismatch(otherValidator).Should().Contain("not of one validator");
        Mismatch(otherRound).Should().Contain("not of one validator");
        Mismatch(swapped).Should().Contain("canonical order");
        Mismatch(forged).Should().Contain("signature does not verify");
        Mismatch(proof, blockHeight: 4).Should().Contain("not within", "a proof cannot come from a later height than its block");
        Mismatch(proof, blockHeight: 5 + EquivocationProofs.AgeHeightsMax + 1).Should().Contain("not within");
    }

    [Fact]
    public void A_block_commits_a_proof_into_the_state_and_a_later_block_may_not_commit_it_again()
    {
        var chain = new ChainFixture();
        var keys = new TrustedValidators(ChainFixture.ChainId, chain.Config.Validators);
        Func<EquivocationProof, string?> rules = p => EquivocationProofs.Mismatch(ChainFixture.ChainId, keys.Genesis.Set, keys.Genesis, 1, p);
        var proof = EquivocationProofs.Of(SignedVote(chain, 3, A), SignedVote(chain, 3, B))!;

        var first = BlockAssembler.Assemble(chain.View(), "validator-1", chain.Config.GenesisTimeMs + 60_000, [], [proof]);
        var check = BlockVerifier.Verify(chain.View(), first.Block, new BlockLimits(), _ => null, _ => true, rules);

        check.Reason.Should().BeNull();
        var record = EvidenceRecord.Parser.ParseFrom(check.Block!.Outcome.Changes.Single(c => c.Key == "evidence/3/1/0/precommit").Value);
        record.Validator.Should().Be(chain.Config.Validators[3].OrganisationId);
        record.CommittedHeight.Should().Be(1);
        chain.Ledger.Apply(new BlockContext(ChainFixture.ChainId, 1, first.Block.Header.TimeMs), [], [proof]);
        var again = BlockAssembler.Assemble(chain.View(), "validator-1", chain.Config.GenesisTimeMs + 60_000, [], [proof]);
        BlockVerifier.Verify(chain.View(), again.Block, new BlockLimits(), _ => null, _ => true, rules).Reason
            .Should().Contain("on the ledger already");
        var forged = first.Block.Clone();
        forged.Evidence[0].Second.Signature = ByteString.CopyFrom(new byte[forged.Evidence[0].Second.Signature.Length]);
        Ledger.Contracts.Blocks.BlockCopy.Mismatch(ChainFixture.ChainId, forged, first.Id).Should().Contain("evidence_root", "the block's id commits to its proofs");
    }

    private static VoteMessage SignedVote(ChainFixture chain, int validator, Hash32 value) => new()
    {
        Type = VoteType.Precommit,
        Height = 1,
        Round = 0,
        BlockId = ByteString.CopyFrom(value.Span),
        ValidatorIndex = (uint)validator,
        Signature = ByteString.CopyFrom(SignatureSuites.Sign(chain.ValidatorKeys[validator].Private,
            ConsensusSignBytes.ForVote(ChainFixture.ChainId, VoteType.Precommit, 1, 0, value))),
    };
}
