using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// One member of the <see cref="ByzantineCoalition"/> acting on its own (chaos): it signs two different proposals
/// when it proposes, two different votes (one of them often for an invalid block) for each (height, round, type) it
/// hears of, and replays old messages it has seen. It reacts only to what it receives, so the seed drives it too.
/// It stays out of heights the coalition attacks with a plan.
/// </summary>
internal sealed class ByzantineValidator(Simulation simulation, int index, ByzantineCoalition coalition)
{
    private const int RememberedMax = 256;
    private readonly List<ConsensusMessage> _seen = [];
    private readonly HashSet<(ulong Height, int Round, int Kind)> _acted = [];

    public int Index { get; } = index;

    public void Deliver(ConsensusMessage message)
    {
        if (message is CommitOffer)
        {
            return;
        }
        if (coalition.Targets(message.Height))
        {
            return;
        }
        Remember(message);
        var (height, round) = (message.Height, message.Round);
        if (simulation.ValidatorSet.ProposerOf(height, round) == Index && _acted.Add((height, round, 0)))
        {
            var honestLooking = SyntheticBlocks.Make(height, round, Index);
            Split(Proposal(height, round, honestLooking), Proposal(height, round, InvalidBlock(height, round)));
        }
        var heard = message switch
        {
            SignedProposal p => p.Value,
            SignedVote v => v.Value,
            _ => null,
        };
        if (_acted.Add((height, round, 1)))
        {
            Split(Vote(VoteType.Prevote, height, round, heard), Vote(VoteType.Prevote, height, round, Other(height, round, heard)));
        }
        if (message is SignedVote { Type: VoteType.Prevote } && _acted.Add((height, round, 2)))
        {
            Split(Vote(VoteType.Precommit, height, round, heard), Vote(VoteType.Precommit, height, round, Other(height, round, heard)));
        }
        if (_seen.Count > 0 && !coalition.IsolatingSomeone && simulation.Random.NextDouble() < 0.1)
        {
            var replay = _seen[simulation.Random.Next(_seen.Count)];
            simulation.Send(Index, simulation.Random.Next(simulation.Options.Validators), replay);
        }
    }

    private void Remember(ConsensusMessage message)
    {
        if (_seen.Count >= RememberedMax)
        {
            _seen.RemoveAt(simulation.Random.Next(_seen.Count));
        }
        _seen.Add(message);
    }

    /// <summary>Sends one message to a random part of the network and the other to the rest.</summary>
    private void Split(ConsensusMessage first, ConsensusMessage second)
    {
        for (var to = 0; to < simulation.Options.Validators; to++)
        {
            if (to != Index)
            {
                simulation.Send(Index, to, simulation.Random.Next(2) == 0 ? first : second);
            }
        }
    }

    private Hash32? Other(ulong height, int round, Hash32? heard) => simulation.Random.Next(3) switch
    {
        0 when heard is not null => null,
        1 => SyntheticBlocks.Make(height, round, Index, 1 + simulation.Random.Next(4)),
        _ => InvalidBlock(height, round),
    };

    private Hash32 InvalidBlock(ulong height, int round)
    {
        for (var variant = 100; variant < 1100; variant++)
        {
            var id = SyntheticBlocks.Make(height, round, Index, variant);
            if (!SyntheticBlocks.IsValid(id, simulation.Options.InvalidBlockFraction))
            {
                simulation.RegisterBlock(id);
                return id;
            }
        }
        return SyntheticBlocks.Make(height, round, Index, 99);
    }

    private SignedProposal Proposal(ulong height, int round, Hash32 value) =>
        ByzantineMessages.Proposal(simulation, Index, height, round, value);

    private SignedVote Vote(VoteType type, ulong height, int round, Hash32? value) =>
        ByzantineMessages.Vote(simulation, Index, type, height, round, value);
}
