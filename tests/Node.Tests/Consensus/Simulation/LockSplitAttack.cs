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
/// With a prelude (the split in round 1, round 0 proposed by an "other" node): in round 0 the others and the
/// decider prevote the others' value v′, the coalition completes the polka for the others only (so they lock v′,
/// and the decider, who precommitted nil, does not), and the lockers never see v′. In later rounds v′ comes back
/// as a re-proposal with vr = 0 and its polka, which a locker (locked in round 1 &gt; 0) must refuse at L28.
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
    private readonly List<SignedVote> _preludePrevotes = [];
    private Hash32? _preludeValue;

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
        if (round > 0)
        {
            // The prelude's proposer must be one of the others, which are the tail of the list.
            var preludeProposer = simulation.ValidatorSet.ProposerOf(height, round - 1);
            honest.Remove(preludeProposer);
            honest.Add(preludeProposer);
        }
        var crash = (LockSplitCrash)simulation.Random.Next(3);
        return new LockSplitAttack(simulation, byzantine, height, round, honest[0], honest[1..splitSize], honest[splitSize..], crash);
    }

    /// <summary>Smallest number of equal-power validators holding more than two thirds, counted here, not by the code under test.</summary>
    public static int QuorumSize(int validators) => (validators * 2 / 3) + 1;

    /// <summary>For the trace of a replayed seed.</summary>
    public string Describe() =>
        $"lockers [{string.Join(", ", _lockers.Select(i => $"v{i}"))}], others [{string.Join(", ", _others.Select(i => $"v{i}"))}], crash {Crash}, value {Value.ToString()[..8]}";

    public NetworkLink LinkFor(int from, int to, ConsensusMessage message)
    {
        if (Over || _simulation.NowMs >= _endsByMs)
        {
            Over = true;
            return NetworkLink.Normal;
        }
        if (message is SignedProposal { Round: var r } p && p.Height == Height && r == Round - 1 && _lockers.Contains(to))
        {
            // The lockers must stay free of the prelude's value, so that they can lock v in the split round.
            return NetworkLink.Cut;
        }
        if (Landed && (from == Decider || to == Decider))
        {
            return NetworkLink.Cut;
        }
        return NetworkLink.Reliable;
    }

    public void OnRoundEntered(int node, ulong height, int round)
    {
        if (Over || height != Height || round < Round || _roundsActed.Contains(round))
        {
            return;
        }
        if (round == Round)
        {
            // On the first honest node's entry, the decider's included: v must reach each before its propose timeout.
            _roundsActed.Add(round);
            Split();
            return;
        }
        if (node == Decider)
        {
            // Isolated once it has decided; the later rounds are for the others.
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
            var polka = _preludePrevotes.Where(v => v.Value == _preludeValue).ToList();
            if (_preludeValue is { } prelude && polka.Count >= QuorumSize(_simulation.Options.Validators))
            {
                // Re-propose the prelude's value with its polka: the others are locked on it, the lockers must refuse it (L28).
                SendToUndecided(ByzantineMessages.Proposal(_simulation, proposer, Height, round, prelude, Round - 1));
                foreach (var vote in polka)
                {
                    SendToUndecided(vote);
                }
                BackValue(round, prelude);
                return;
            }
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
        if (!Over && proposal.Height == Height && proposal.Round == Round - 1 && _preludeValue is null
            && _others.Contains(proposal.ProposerIndex) && proposal.ValidRound == -1)
        {
            Prelude(proposal.Value);
            return;
        }
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

    /// <summary>An honest prevote of the prelude round, kept: those for the prelude's value are the polka of a later re-proposal.</summary>
    public void OnVote(SignedVote vote)
    {
        if (!Over && Round > 0 && vote.Type == VoteType.Prevote && vote.Height == Height && vote.Round == Round - 1
            && vote.Value is not null && !_byzantine.Contains(vote.ValidatorIndex)
            && !_preludePrevotes.Any(v => v.ValidatorIndex == vote.ValidatorIndex && v.Value == vote.Value))
        {
            _preludePrevotes.Add(vote);
        }
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

    /// <summary>
    /// Round 0 of a split in round 1: the coalition prevotes v′ to the others only, so they see a polka and lock
    /// it while the decider, told nil, sees none; everyone gets nil precommits so that the round ends.
    /// </summary>
    private void Prelude(Hash32 value)
    {
        _preludeValue = value;
        var round = Round - 1;
        foreach (var member in _byzantine)
        {
            var forValue = ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, Height, round, value);
            _preludePrevotes.Add(forValue);
            foreach (var node in _others)
            {
                _simulation.SendAsAdversary(member, node, forValue);
            }
            foreach (var node in _lockers.Append(Decider))
            {
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Prevote, Height, round, null));
            }
            foreach (var node in _others.Concat(_lockers).Append(Decider))
            {
                _simulation.SendAsAdversary(member, node, ByzantineMessages.Vote(_simulation, member, VoteType.Precommit, Height, round, null));
            }
        }
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
