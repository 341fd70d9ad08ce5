using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// Proposals and votes of one height, for ALL its rounds (L28 looks at an earlier round's prevotes, L49 at any
/// round's precommits). Counts voting power by distinct validator and reports each threshold once. It trusts
/// its caller to have checked signatures, the proposer and the height.
/// </summary>
public sealed class VoteKeeper
{
    /// <summary>
    /// Distinct values kept per validator, round and vote type, besides votes for a proposed value. A correct validator
    /// signs one; beyond two, a vote is kept only if its value was proposed at this height (those are the values a quorum
    /// can form on, and they are few: two proposals a round at most), else it is evidence only. So one validator signing
    /// ever new values cannot grow the keeper, and cannot hide a quorum for a proposed value by voting for others first.
    /// </summary>
    public const int ValuesPerValidatorMax = 2;

    // Lookups only: which values were proposed at this height, in any round.
    private readonly HashSet<Hash32> _proposedValues = [];

    private readonly ConsensusValidatorSet _validators;
    private readonly SortedDictionary<int, RoundVotes> _rounds = [];
    private readonly List<(int Round, Hash32 Value)> _commitQuorums = [];
    private readonly List<int> _skipRounds = [];

    public VoteKeeper(ConsensusValidatorSet validators, ulong height)
    {
        _validators = validators;
        Height = height;
    }

    public ulong Height { get; }

    /// <summary>(round, value) pairs with 2f+1 precommits, by increasing round.</summary>
    public IReadOnlyList<(int Round, Hash32 Value)> CommitQuorums => _commitQuorums;

    public VoteKeeperResult AddProposal(SignedProposal proposal)
    {
        var round = RoundOf(proposal.Round);
        if (round.Proposal is { } first)
        {
            if (IsSame(first, proposal) || (round.SecondProposal is { } kept && IsSame(kept, proposal)))
            {
                return VoteKeeperResult.Duplicate;
            }
            // Rule 8: only the first proposal is prevoted; a different second one proves the proposer equivocated. It is
            // kept (one only) because more than two thirds may prevote it, and L36 then locks on it whatever came first.
            if (round.SecondProposal is null)
            {
                round.SecondProposal = proposal;
                _proposedValues.Add(proposal.Value);
            }
            return Equivocation(round, proposal.ProposerIndex, 2, first, proposal);
        }
        round.Proposal = proposal;
        _proposedValues.Add(proposal.Value);
        var events = new List<ThresholdEvent>();
        MarkSeen(round, proposal.Round, proposal.ProposerIndex, events);
        return new VoteKeeperResult(VoteOutcome.Added, events, null);
    }

    /// <summary>
    /// The first vote of a validator per (round, type) is its vote for the "anything" thresholds (L34, L47,
    /// L55); a different later one is evidence. Per value, though, every distinct signer counts, equivocators
    /// included: two quorums for different values of one round would still need an honest validator in both,
    /// so safety holds, and a quorum that provably exists (a certificate, a proof of lock change relayed by a
    /// peer) is not hidden by whichever of the equivocator's votes happened to arrive first (CometBFT counts
    /// conflicting votes per block for the same reason).
    /// </summary>
    public VoteKeeperResult AddVote(SignedVote vote)
    {
        var round = RoundOf(vote.Round);
        var isPrevote = vote.Type == VoteType.Prevote;
        var slots = isPrevote ? round.Prevotes : round.Precommits;
        var index = vote.ValidatorIndex;
        if (round.FindByValue(isPrevote, vote.Value)?[index] is not null)
        {
            return VoteKeeperResult.Duplicate;
        }
        var values = isPrevote ? round.PrevoteValues : round.PrecommitValues;
        var proposed = vote.Value is { } v && _proposedValues.Contains(v);
        if (values[index] >= ValuesPerValidatorMax && !proposed)
        {
            return Equivocation(round, index, isPrevote ? 0 : 1, (slots[index] ?? vote), vote);
        }
        if (!proposed)
        {
            values[index]++;
        }
        var byValue = round.ByValue(isPrevote, vote.Value);
        byValue[index] = vote;
        var power = _validators.PowerOf(index);
        var events = new List<ThresholdEvent>();
        EquivocationEvidence? evidence = null;
        var outcome = VoteOutcome.Added;
        if (slots[index] is { } first)
        {
            outcome = VoteOutcome.Equivocation;
            evidence = Evidence(round, index, isPrevote ? 0 : 1, first, vote);
        }
        else
        {
            slots[index] = vote;
            CountAny(round, vote, power, isPrevote, events);
        }
        if (isPrevote)
        {
            CountPrevote(round, vote, power, events);
        }
        else
        {
            CountPrecommit(round, vote, power, events);
        }
        MarkSeen(round, vote.Round, index, events);
        return new VoteKeeperResult(outcome, events, evidence);
    }

    /// <summary>The first proposal of a round: the one prevoted (L22, L28).</summary>
    public SignedProposal? ProposalOf(int round) => Find(round)?.Proposal;

    /// <summary>The proposals of a round, the first first: at most two (an equivocating proposer's second one), for L36.</summary>
    public IReadOnlyList<SignedProposal> ProposalsOf(int round) => Find(round) is { Proposal: { } first } votes
        ? votes.SecondProposal is { } second ? [first, second] : [first]
        : [];

    private static bool IsSame(SignedProposal a, SignedProposal b) => a.Value == b.Value && a.ValidRound == b.ValidRound;

    public bool HasPolkaFor(int round, Hash32 value) => Find(round)?.PolkaValue == value;

    public bool HasPolkaAny(int round) => Find(round)?.PolkaAny == true;

    public bool HasPolkaNil(int round) => Find(round)?.PolkaNil == true;

    public bool HasPrecommitAny(int round) => Find(round)?.PrecommitAny == true;

    /// <summary>The highest round above <paramref name="above"/> with f+1 senders, if any (L55).</summary>
    public int? HighestSkipRound(int above)
    {
        int? best = null;
        foreach (var round in _skipRounds)
        {
            if (round > above && (best is null || round > best))
            {
                best = round;
            }
        }
        return best;
    }

    /// <summary>The precommits for (round, value), by validator index: the content of a commit certificate.</summary>
    public IReadOnlyList<SignedVote> PrecommitsFor(int round, Hash32 value) => VotesFor(round, value, VoteType.Precommit);

    /// <summary>The prevotes for (round, value), by validator index: the proof of a polka.</summary>
    public IReadOnlyList<SignedVote> PrevotesFor(int round, Hash32 value) => VotesFor(round, value, VoteType.Prevote);

    private List<SignedVote> VotesFor(int round, Hash32 value, VoteType type)
    {
        var result = new List<SignedVote>();
        var map = type == VoteType.Prevote ? Find(round)?.PrevotesByValue : Find(round)?.PrecommitsByValue;
        if (map is not null && map.TryGetValue(value, out var votes))
        {
            foreach (var vote in votes)
            {
                if (vote is not null)
                {
                    result.Add(vote);
                }
            }
        }
        return result;
    }

    private void CountAny(RoundVotes round, SignedVote vote, long power, bool isPrevote, List<ThresholdEvent> events)
    {
        if (isPrevote)
        {
            round.PrevoteAnyPower += power;
            if (!round.PolkaAny && _validators.IsQuorum(round.PrevoteAnyPower))
            {
                round.PolkaAny = true;
                events.Add(new ThresholdEvent(ThresholdKind.PolkaAny, vote.Round, null));
            }
            return;
        }
        round.PrecommitAnyPower += power;
        if (!round.PrecommitAny && _validators.IsQuorum(round.PrecommitAnyPower))
        {
            round.PrecommitAny = true;
            events.Add(new ThresholdEvent(ThresholdKind.PrecommitAny, vote.Round, null));
        }
    }

    private void CountPrevote(RoundVotes round, SignedVote vote, long power, List<ThresholdEvent> events)
    {
        if (vote.Value is { } value)
        {
            var total = round.PrevotePower.GetValueOrDefault(value) + power;
            round.PrevotePower[value] = total;
            if (round.PolkaValue is null && _validators.IsQuorum(total))
            {
                round.PolkaValue = value;
                events.Add(new ThresholdEvent(ThresholdKind.PolkaValue, vote.Round, value));
            }
        }
        else
        {
            round.PrevoteNilPower += power;
            if (!round.PolkaNil && _validators.IsQuorum(round.PrevoteNilPower))
            {
                round.PolkaNil = true;
                events.Add(new ThresholdEvent(ThresholdKind.PolkaNil, vote.Round, null));
            }
        }
    }

    private void CountPrecommit(RoundVotes round, SignedVote vote, long power, List<ThresholdEvent> events)
    {
        if (vote.Value is { } value)
        {
            var total = round.PrecommitPower.GetValueOrDefault(value) + power;
            round.PrecommitPower[value] = total;
            if (round.PrecommitValue is null && _validators.IsQuorum(total))
            {
                round.PrecommitValue = value;
                var at = _commitQuorums.FindIndex(q => q.Round > vote.Round);
                _commitQuorums.Insert(at < 0 ? _commitQuorums.Count : at, (vote.Round, value));
                events.Add(new ThresholdEvent(ThresholdKind.PrecommitValue, vote.Round, value));
            }
        }
    }

    private void MarkSeen(RoundVotes round, int roundNumber, int index, List<ThresholdEvent> events)
    {
        if (round.Seen[index])
        {
            return;
        }
        round.Seen[index] = true;
        round.SeenPower += _validators.PowerOf(index);
        if (!round.Skip && _validators.IsMoreThanOneThird(round.SeenPower))
        {
            round.Skip = true;
            _skipRounds.Add(roundNumber);
            events.Add(new ThresholdEvent(ThresholdKind.RoundSkip, roundNumber, null));
        }
    }

    private static VoteKeeperResult Equivocation(RoundVotes round, int index, int kind, ConsensusMessage first, ConsensusMessage second) =>
        new(VoteOutcome.Equivocation, [], Evidence(round, index, kind, first, second));

    /// <summary>One evidence per (validator, round, type) proves the fault and bounds memory.</summary>
    private static EquivocationEvidence? Evidence(RoundVotes round, int index, int kind, ConsensusMessage first, ConsensusMessage second)
    {
        var slot = (index * 3) + kind;
        if (round.EvidenceRecorded[slot])
        {
            return null;
        }
        round.EvidenceRecorded[slot] = true;
        return new EquivocationEvidence(first, second);
    }

    private RoundVotes? Find(int round) => _rounds.GetValueOrDefault(round);

    private RoundVotes RoundOf(int round)
    {
        if (!_rounds.TryGetValue(round, out var votes))
        {
            votes = new RoundVotes(_validators.Count);
            _rounds[round] = votes;
        }
        return votes;
    }
}
