using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// Validators 0 .. f−1 acting together, with the network adversary's power before GST (delays, drops, isolating a
/// node), and an omniscient view of honest nodes' rounds and decisions, as the model allows. Per height whose
/// round-0 proposer is a member, the seed picks an attack (<see cref="HeightAttack"/>); every other height is chaos.
/// </summary>
internal sealed class ByzantineCoalition
{
    private readonly Simulation _simulation;
    private readonly int[] _members;
    private readonly ByzantineValidator[] _chaos;
    private readonly Dictionary<ulong, HeightAttack> _attacks = [];
    private LockSplitAttack? _lockSplit;

    public ByzantineCoalition(Simulation simulation, int count)
    {
        _simulation = simulation;
        _members = [.. Enumerable.Range(0, count)];
        _chaos = [.. _members.Select(i => new ByzantineValidator(simulation, i, this))];
    }

    public int LockSplits { get; private set; }

    /// <summary>Lock splits whose decider decided v while the lockers were locked on it.</summary>
    public int LockSplitsLanded { get; private set; }

    public int TamperedCopyAttacks { get; private set; }

    public bool IsMember(int index) => index >= 0 && index < _members.Length;

    /// <summary>Whether members leave this height to a targeted attack (no chaos, no replays into it).</summary>
    public bool Targets(ulong height) => _attacks.TryGetValue(height, out var attack) && attack != HeightAttack.Chaos;

    /// <summary>A lock split is under way: replays could carry the isolated decider's messages.</summary>
    public bool IsolatingSomeone => _lockSplit is { Over: false };

    public void Deliver(int member, ConsensusMessage message)
    {
        switch (message)
        {
            case SignedProposal proposal:
                _lockSplit?.OnProposal(proposal);
                break;
            case SignedVote vote:
                _lockSplit?.OnVote(vote);
                break;
        }
        _chaos[member].Deliver(message);
    }

    public void OnRoundEntered(int node, ulong height, int round)
    {
        if (!_attacks.ContainsKey(height))
        {
            _attacks[height] = Choose(height);
            switch (_attacks[height])
            {
                case HeightAttack.LockSplit:
                    LockSplits++;
                    // Round 0 is the split when a member proposes it; otherwise round 0 is the prelude of a split in round 1.
                    var splitRound = IsMember(_simulation.ValidatorSet.ProposerOf(height, 0)) ? 0 : 1;
                    _lockSplit = LockSplitAttack.Plan(_simulation, _members, height, splitRound);
                    break;
                case HeightAttack.TamperedCopies:
                    TamperedCopyAttacks++;
                    HandTamperedCopies(height);
                    break;
            }
            if (_attacks[height] == HeightAttack.LockSplit && _lockSplit is { } split)
            {
                _simulation.Options.Trace?.Invoke($"{_simulation.NowMs,7} lock split h{height} r{split.Round}: decider v{split.Decider}, {split.Describe()}");
            }
            else if (_attacks[height] == HeightAttack.TamperedCopies)
            {
                _simulation.Options.Trace?.Invoke($"{_simulation.NowMs,7} tampered copies h{height}");
            }
        }
        _lockSplit?.OnRoundEntered(node, height, round);
    }

    public void OnDecided(int node, ulong height, Hash32 value)
    {
        if (_lockSplit is not { } attack)
        {
            return;
        }
        var landedBefore = attack.Landed;
        attack.OnDecided(node, height, value);
        if (!landedBefore && attack.Landed)
        {
            LockSplitsLanded++;
        }
    }

    public NetworkLink LinkFor(int from, int to, ConsensusMessage message) => _lockSplit?.LinkFor(from, to, message) ?? NetworkLink.Normal;

    public bool CrashAfter(int node, DriverEffect effect) => _lockSplit?.CrashAfter(node, effect) ?? false;

    private HeightAttack Choose(ulong height)
    {
        var byzantineFirst = IsMember(_simulation.ValidatorSet.ProposerOf(height, 0));
        // A member proposing round 1 after an honest round 0 gives the lock split with a prelude (L28).
        var byzantineSecond = !byzantineFirst && IsMember(_simulation.ValidatorSet.ProposerOf(height, 1));
        if (!byzantineFirst && !byzantineSecond)
        {
            return HeightAttack.Chaos;
        }
        var draw = _simulation.Random.NextDouble();
        var options = _simulation.Options;
        if (byzantineSecond)
        {
            return draw < options.LockSplitRate && _simulation.NowMs + 4_000 < options.GstMs && _lockSplit is not { Over: false }
                ? HeightAttack.LockSplit
                : HeightAttack.Chaos;
        }
        // A lock split isolates a node, which only the pre-GST network may do; it needs a few seconds of it.
        var splitRate = _simulation.NowMs + 4_000 < options.GstMs && _lockSplit is not { Over: false } ? options.LockSplitRate : 0;
        if (draw < splitRate)
        {
            return HeightAttack.LockSplit;
        }
        return draw < splitRate + options.TamperedCopyRate ? HeightAttack.TamperedCopies : HeightAttack.Chaos;
    }

    /// <summary>
    /// A good block, proposed in round 0 with tampered copies for up to n − q honest nodes (so the rest and the
    /// coalition still make a quorum). A node holding a tampered copy answers Invalid until the faithful copy
    /// arrives; a driver that kept that verdict could never decide the block.
    /// </summary>
    private void HandTamperedCopies(ulong height)
    {
        var proposer = _simulation.ValidatorSet.ProposerOf(height, 0);
        var value = ByzantineMessages.ValidBlock(_simulation, height, 0, proposer, 2);
        var proposal = ByzantineMessages.Proposal(_simulation, proposer, height, 0, value);
        var honest = Enumerable.Range(0, _simulation.Options.Validators).Where(i => !IsMember(i)).ToList();
        var tamperedMax = _simulation.Options.Validators - LockSplitAttack.QuorumSize(_simulation.Options.Validators);
        var tampered = 1 + _simulation.Random.Next(tamperedMax);
        var faithful = honest;
        for (var k = 0; k < tampered; k++)
        {
            honest.RemoveAt(_simulation.Random.Next(honest.Count));
        }
        for (var to = 0; to < _simulation.Options.Validators; to++)
        {
            if (!IsMember(to))
            {
                _simulation.SendAsAdversary(proposer, to, proposal, tamperedCopy: !faithful.Contains(to));
            }
        }
        foreach (var member in _members)
        {
            for (var to = 0; to < _simulation.Options.Validators; to++)
            {
                if (!IsMember(to))
                {
                    _simulation.SendAsAdversary(member, to, ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, height, 0, value));
                    _simulation.SendAsAdversary(member, to, ByzantineMessages.Vote(_simulation, member, VoteType.Precommit, height, 0, value));
                }
            }
        }
    }
}
