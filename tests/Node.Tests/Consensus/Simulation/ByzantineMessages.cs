using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>What a Byzantine validator signs: real signatures with its own key, so honest nodes accept them.</summary>
internal static class ByzantineMessages
{
    public static SignedProposal Proposal(Simulation simulation, int signer, ulong height, int round, Hash32 value, int validRound = -1)
    {
        simulation.RegisterBlock(value);
        var signature = simulation.Keys.Sign(signer, ConsensusSignBytes.ForProposal(Simulation.ChainId, height, round, value, validRound));
        return new SignedProposal(height, round, value, validRound, signer, signature);
    }

    public static SignedVote Vote(Simulation simulation, int signer, VoteType type, ulong height, int round, Hash32? value)
    {
        var signature = simulation.Keys.Sign(signer, ConsensusSignBytes.ForVote(Simulation.ChainId, type, height, round, value));
        return new SignedVote(type, height, round, value, signer, signature);
    }

    /// <summary>A block every honest node finds valid, distinct per (height, round, proposer, salt).</summary>
    public static Hash32 ValidBlock(Simulation simulation, ulong height, int round, int proposer, int salt)
    {
        for (var variant = 2_000 + (salt * 1_000); ; variant++)
        {
            var id = SyntheticBlocks.Make(height, round, proposer, variant);
            if (SyntheticBlocks.IsValid(id, simulation.Options.InvalidBlockFraction))
            {
                simulation.RegisterBlock(id);
                return id;
            }
        }
    }
}
