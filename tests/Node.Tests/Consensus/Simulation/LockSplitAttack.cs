using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// The attack that a node ignoring its lock (L22, L28) or forgetting it across a crash falls for. In round
/// <see cref="Round"/>, proposed by a coalition member, the coalition gives value v (proposal and prevotes) to
/// q − f honest nodes only: the decider and the lockers. They see a polka, lock v and precommit it. The coalition
/// precommits v to the decider alone, so the decider decides v and nobody else can; the network then isolates
/// the decider. In every later round the coalition backs any other value: a fresh proposal of its own or of an
/// honest "other" node. The remaining honest nodes plus the coalition are n − q + f &lt; q without the lockers,
/// so a correct network decides nothing until the decider rejoins and offers its certificate for v; one that
/// lets a locker prevote the other value decides it, and agreement breaks. Optionally the lockers crash right
/// after locking or after precommitting and restart from their write-ahead record.
/// </summary>
internal sealed class LockSplitAttack
{
    /// <summary>Enough rounds after the split for every validator to propose once.</summary>
    private readonly int _roundsPushed;
    private readonly Simulation _simulation;
    private readonly int[] _byzantine;
    private readonly List<int> _lockers;
    private readonly List<int> _others;
    private readonly List<int> _crashed = [];
    private readonly List<int> _roundsActed = [];
    private readonly long _endsByMs;

    private LockSplitAttack(Simulation simulation, int[] byzantine, ulong height, int round, int decider, List<int> lockers, List<int> others, LockSplitCrash crash)
    {
        _simulation = simulation;
        _byzantine = byzantine;
        Height = height;
        Round = round;
        Decider = decider;
        _lockers = lockers;
        _others = others;
        Crash = crash;
        _roundsPushed = simulation.Options.Validators + 1;
        _endsByMs = Math.Min(simulation.Options.GstMs, simulation.NowMs + 12_000);
        Value = ByzantineMessages.ValidBlock(simulation, height, round, simulation.ValidatorSet.ProposerOf(height, round), 0);
    }

    public ulong Height { get; }

    public int Round { get; }

    public int Decider { get; }

    public LockSplitCrash Crash { get; }

    public Hash32 Value { get; }

    /// <summary>The decider decided v while isolated: the split landed, the rest is up to the lockers' locks.</summary>
    public bool Landed { get; private set; }

    public bool Over { get; private set; }

    /// <summary>Picks the decider and lockers at random among the honest nodes; the sizes follow from n, f and the quorum.</summary>
    public static LockSplitAttack Plan(Simulation simulation, int[] byzantine, ulong height, int round)
    {
        var honest = Enumerable.Range(0, simulation.Options.Validators).Where(i => !byzantine.Contains(i)).ToList();
        for (var i = honest.Count - 1; i > 0; i--)
        {
            var j = simulation.Random.Next(i + 1);
            (honest[i], honest[j]) = (honest[j], honest[i]);
        }
        // q − f honest prevotes of v, with the coalition's f, make the polka; decider plus lockers.
        var splitSize = QuorumSize(simulation.Options.Validators) - byzantine.Length;
        var crash = (LockSplitCrash)simulation.Random.Next(3);
        return new LockSplitAttack(simulation, byzantine, height, round, honest[0], honest[1..splitSize], honest[splitSize..], crash);
    }

    /// <summary>Smallest number of equal-power validators holding more than two thirds, counted here, not by the code under test.</summary>
    public static int QuorumSize(int validators) => (validators * 2 / 3) + 1;

    public NetworkLink LinkFor(int from, int to)
    {
        if (Over || _simulation.NowMs >= _endsByMs)
        {
            Over = true;
            return NetworkLink.Normal;
        }
        if (Landed && (from == Decider || to == Decider))
        {
            return NetworkLink.Cut;
        }
        return NetworkLink.Reliable;
    }

    public void OnRoundEntered(int node, ulong height, int round)
    {
        if (Over || height != Height || node == Decider || round < Round || _roundsActed.Contains(round))
        {
            return;
        }
        if (round == Round)
        {
            _roundsActed.Add(round);
            Split();
            return;
        }
        if (_others.Concat(_lockers).All(i => _simulation.RoundOf(i, Height) >= Round + _roundsPushed))
        {
            Over = true;
            return;
        }
        var proposer = _simulation.ValidatorSet.ProposerOf(Height, round);
        if (_byzantine.Contains(proposer))
        {
            _roundsActed.Add(round);
            var other = ByzantineMessages.ValidBlock(_simulation, Height, round, proposer, 1);
            SendToUndecided(ByzantineMessages.Proposal(_simulation, proposer, Height, round, other));
            BackValue(round, other);
        }
        else if (!_others.Contains(proposer))
        {
            // The decider (isolated) or a locker (re-proposing v): nothing to push, but the round must end, and
            // without the decider the honest nodes left are short of a quorum of any votes.
            _roundsActed.Add(round);
            BackValue(round, null);
        }
        // An "other" node proposes a fresh value of its own: backed when a coalition member receives it.
    }

    /// <summary>A proposal delivered to a coalition member.</summary>
    public void OnProposal(SignedProposal proposal)
    {
        if (Over || proposal.Height != Height || proposal.Round <= Round || _roundsActed.Contains(proposal.Round)
            || !_others.Contains(proposal.ProposerIndex))
        {
            return;
        }
        _roundsActed.Add(proposal.Round);
        BackValue(proposal.Round, proposal.Value == Value ? null : proposal.Value);
    }

    public void OnDecided(int node, ulong height, Hash32 value)
    {
        if (Over || height != Height)
        {
            return;
        }
        if (node == Decider && value == Value)
        {
            Landed = true;
            return;
        }
        // Someone else decided: with correct nodes only v can be, and the attack has nothing left to push.
        Over = true;
    }

    /// <summary>Crashes a locker right after it locked v or right after its precommit for v left it.</summary>
    public bool CrashAfter(int node, DriverEffect effect)
    {
        if (Over || Crash == LockSplitCrash.None || !_lockers.Contains(node) || _crashed.Contains(node))
        {
            return false;
        }
        var hit = (Crash, effect) switch
        {
            (LockSplitCrash.AfterLock, DriverEffect.PersistWriteAhead p) =>
                p.Record.Height == Height && p.Record.LockedRound == Round && p.Record.LockedValue == Value,
            (LockSplitCrash.AfterPrecommit, DriverEffect.Broadcast { Message: SignedVote v }) =>
                v.Type == VoteType.Precommit && v.Height == Height && v.Round == Round && v.ValidatorIndex == node && v.Value == Value,
            _ => false,
        };
        if (hit)
        {
            _crashed.Add(node);
        }
        return hit;
    }

    private void Split()
    {
        var proposer = _simulation.ValidatorSet.ProposerOf(Height, Round);
        var proposal = ByzantineMessages.Proposal(_simulation, proposer, Height, Round, Value);
        var split = _lockers.Append(Decider).ToList();
        foreach (var node in split)
        {
            _simulation.SendAsAdversary(proposer, node, proposal);
        }
        foreach (var member in _byzantine)
        {
            foreach (var node in split)
            {
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, Height, Round, Value));
                // Withheld from all but the decider: only it can reach a quorum of precommits for v.
                var precommit = node == Decider ? Value : (Hash32?)null;
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Precommit, Height, Round, precommit));
            }
            foreach (var node in _others)
            {
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, Height, Round, null));
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Precommit, Height, Round, null));
            }
        }
    }

    private void BackValue(int round, Hash32? value)
    {
        foreach (var member in _byzantine)
        {
            SendToUndecided(ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, Height, round, value));
            SendToUndecided(ByzantineMessages.Vote(_simulation, member, VoteType.Precommit, Height, round, value));
        }
    }

    private void SendToUndecided(ConsensusMessage message)
    {
        var signer = message switch
        {
            SignedProposal p => p.ProposerIndex,
            SignedVote v => v.ValidatorIndex,
            _ => throw new InvalidOperationException("the coalition sends proposals and votes"),
        };
        foreach (var node in _lockers.Concat(_others))
        {
            _simulation.SendAsAdversary(signer, node, message);
        }
    }
}
