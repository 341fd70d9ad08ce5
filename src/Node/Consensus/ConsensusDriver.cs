using Google.Protobuf;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// Turns messages, timeouts and ticks into effects for the host: checks each message, stores it in the vote
/// keeper, turns the keeper's quorums into <see cref="RoundInput"/>s for <see cref="RoundStateMachine"/>, and
/// turns its outputs into signed messages, timeouts and decisions. Single-threaded and deterministic: no
/// clock, no I/O, no randomness; the same inputs give the same effects.
/// </summary>
public sealed class ConsensusDriver
{
    private readonly ConsensusConfig _config;
    private readonly Func<ulong, HeightRoster> _rosterAt;
    private ConsensusValidatorSet _validators;
    private IConsensusVerifier _verifier;
    private readonly IProposalValidator _proposalValidator;
    private readonly IBlockSource _blockSource;
    private readonly ICommitHistory _history;
    private readonly SigningGuard _guard;
    private readonly int _self;

    private IReadOnlyList<ConsensusMessage> _ownMessages = [];
    private readonly List<(ConsensusMessage Message, int From)> _nextHeight = [];
    // Per peer that relayed them: one peer fills its own share of the buffer, never the others'.
    private readonly int[] _nextHeightFrom;
    private readonly Dictionary<Hash32, BlockValidity> _validity = [];
    private readonly List<Hash32> _missingBlocks = [];
    private readonly HashSet<(int Peer, ulong Height)> _offered = [];
    private List<DriverEffect> _effects = [];
    private RoundState _state = RoundState.ForHeight(0);
    private VoteKeeper _keeper;
    private WriteAheadRecord? _persisted;
    private IReadOnlyList<SignedVote> _validPolka = [];
    private CommitCertificate? _offeredCommit;
    private bool _started;

    /// <summary>A driver for a chain whose validator set never changes.</summary>
    public ConsensusDriver(
        ConsensusConfig config,
        ConsensusValidatorSet validators,
        IConsensusSigner signer,
        IConsensusVerifier verifier,
        IProposalValidator proposalValidator,
        IBlockSource blockSource,
        ICommitHistory history)
        : this(config, _ => new HeightRoster(validators, verifier), signer, proposalValidator, blockSource, history)
    {
        if (!validators.Contains(signer.ValidatorIndex))
        {
            throw new ArgumentException($"validator index {signer.ValidatorIndex} is not in a set of {validators.Count}", nameof(signer));
        }
    }

    /// <param name="rosterAt">The validators of a height: asked for the height being decided and the next, which the
    /// committed chain always knows (a change is in force two heights after the block that made it).</param>
    public ConsensusDriver(
        ConsensusConfig config,
        Func<ulong, HeightRoster> rosterAt,
        IConsensusSigner signer,
        IProposalValidator proposalValidator,
        IBlockSource blockSource,
        ICommitHistory history)
    {
        _config = config;
        _rosterAt = rosterAt;
        (_validators, _verifier) = rosterAt(1);
        _proposalValidator = proposalValidator;
        _blockSource = blockSource;
        _history = history;
        _self = signer.ValidatorIndex;
        _guard = new SigningGuard(config.ChainId, signer, null);
        _nextHeightFrom = new int[PeersMax];
        _keeper = new VoteKeeper(_validators, 0);
    }

    /// <summary>Roster positions a peer can hold (<see cref="Contracts.Membership.ValidatorChanges.RosterMax"/>).</summary>
    public const int PeersMax = Contracts.Membership.ValidatorChanges.RosterMax;

    /// <summary>Whether this node is a member of the set deciding the current height: only then does it sign.</summary>
    public bool IsMember => _validators.Contains(_self);

    public RoundState State => _state;

    public ConsensusCounters Counters { get; } = new();

    /// <summary>Messages of the next height held until it starts (bounded by <see cref="ConsensusConfig.NextHeightBufferMax"/>).</summary>
    public int NextHeightBuffered => _nextHeight.Count;

    /// <summary>Starts a height: at genesis, or after the host made the previous decision durable.</summary>
    public IReadOnlyList<DriverEffect> StartHeight(ulong height)
    {
        if (_started && height <= _state.Height)
        {
            throw new InvalidOperationException($"height {height} does not follow height {_state.Height}");
        }
        ResetHeight(height);
        Apply(new RoundInput.StartRound(0, IsProposer(0)));
        ReplayNextHeight();
        Evaluate();
        return Finish();
    }

    /// <summary>
    /// Resumes after a crash from the last durable write-ahead record. <paramref name="nextHeight"/> is one past
    /// the highest height in the block store. Never signs anything that contradicts the record's last signature.
    /// </summary>
    public IReadOnlyList<DriverEffect> Resume(WriteAheadRecord? record, ulong nextHeight)
    {
        if (_started)
        {
            throw new InvalidOperationException("resume a fresh driver only");
        }
        _guard.Restore(record?.LastSigned);
        _persisted = record;
        if (record is null || record.Height < nextHeight)
        {
            return StartHeight(nextHeight);
        }
        if (record.Height > nextHeight)
        {
            // The record is written at a new height only after the decision before it was durable.
            throw new InvalidOperationException($"write-ahead record at height {record.Height} but block store ends before {nextHeight}");
        }
        ResetHeight(record.Height);
        _state = _state with
        {
            Round = record.Round,
            LockedValue = record.LockedValue,
            LockedRound = record.LockedRound,
            ValidValue = record.ValidValue,
            ValidRound = record.ValidRound,
        };
        _validPolka = record.ValidPolka;
        foreach (var vote in _validPolka)
        {
            Store(vote);
        }
        // They may never have left the node: the crash could have come right after the persist.
        foreach (var own in record.SignedThisHeight)
        {
            Publish(own);
        }
        if (record.LastSigned is { } last && last.Height == record.Height && !record.SignedThisHeight.Contains(last))
        {
            Publish(last);
        }
        if (record.Step is RoundStep.Unstarted or RoundStep.Propose)
        {
            // Re-enter the round; if this node already proposed, the guard hands back the same proposal.
            Apply(new RoundInput.StartRound(record.Round, IsProposer(record.Round)));
        }
        else
        {
            // A decision needs its block and certificate in the store, so Commit without them is precommit.
            var step = record.Step == RoundStep.Commit ? RoundStep.Precommit : record.Step;
            _state = _state with { Step = step };
            // Timing out from here is always safe (nil votes, next round) and keeps the node live if every
            // message of this round was lost with the crash.
            Schedule(step, record.Round);
        }
        Evaluate();
        return Finish();
    }

    public IReadOnlyList<DriverEffect> Handle(DriverInput input)
    {
        if (!_started)
        {
            throw new InvalidOperationException("start a height or resume before feeding inputs");
        }
        switch (input)
        {
            case DriverInput.MessageReceived m:
                OnMessage(m.Message, m.FromValidator);
                break;
            case DriverInput.TimeoutElapsed t:
                OnTimeout(t);
                break;
            case DriverInput.BlockReceived b when b.Height == _state.Height:
                // Ask the validator again: the host holds the block now.
                _validity.Remove(b.BlockId);
                _missingBlocks.Remove(b.BlockId);
                break;
            case DriverInput.RebroadcastTick:
                Retransmit();
                break;
        }
        Evaluate();
        return Finish();
    }

    private void ResetHeight(ulong height)
    {
        _started = true;
        (_validators, _verifier) = _rosterAt(height);
        _state = RoundState.ForHeight(height);
        _keeper = new VoteKeeper(_validators, height);
        _ownMessages = [];
        _validPolka = [];
        _offeredCommit = null;
        _validity.Clear();
        _missingBlocks.Clear();
    }

    private void OnMessage(ConsensusMessage message, int from)
    {
        if (message is CommitOffer offer)
        {
            OnCommitOffer(offer);
            return;
        }
        if (message.Height < _state.Height)
        {
            Counters.StaleHeight++;
            OfferCertificate(from, message.Height);
            return;
        }
        if (message.Height > _state.Height + 1)
        {
            // A node this far behind catches up through certificate offers (or block sync), not by buffering.
            Counters.FarFutureHeight++;
            return;
        }
        if (!IsAcceptable(message))
        {
            return;
        }
        if (message.Height == _state.Height + 1)
        {
            if ((uint)from >= (uint)_nextHeightFrom.Length || _nextHeightFrom[from] >= Math.Max(1, _config.NextHeightBufferMax / _validators.Members.Count))
            {
                Counters.NextHeightBufferFull++;
                return;
            }
            _nextHeightFrom[from]++;
            _nextHeight.Add((message, from));
            return;
        }
        if (message.Round > _state.Round + _config.RoundsAheadMax)
        {
            Counters.FarFutureRound++;
            return;
        }
        Store(message);
    }

    /// <summary>Shape, signer, proposer and signature, by the set of the message's height; counted when refused.</summary>
    private bool IsAcceptable(ConsensusMessage message)
    {
        var (validators, verifier) = message.Height == _state.Height ? new HeightRoster(_validators, _verifier) : _rosterAt(message.Height);
        var (signer, signBytes, signature) = message switch
        {
            SignedProposal p when WellFormed(p) => (p.ProposerIndex, (Func<byte[]>)(() => ConsensusSignBytes.ForProposal(_config.ChainId, p.Height, p.Round, p.Value, p.ValidRound)), p.Signature),
            SignedVote v when WellFormed(v) => (v.ValidatorIndex, () => ConsensusSignBytes.ForVote(_config.ChainId, v.Type, v.Height, v.Round, v.Value), v.Signature),
            _ => (-1, null, null),
        };
        if (signBytes is null || signature is null)
        {
            Counters.Malformed++;
            return false;
        }
        if (!validators.Contains(signer))
        {
            Counters.UnknownValidator++;
            return false;
        }
        if (message is SignedProposal && signer != validators.ProposerOf(message.Height, message.Round))
        {
            Counters.WrongProposer++;
            return false;
        }
        if (!verifier.Verify(signer, signBytes(), signature))
        {
            Counters.BadSignature++;
            return false;
        }
        return true;
    }

    private static bool WellFormed(SignedProposal p) =>
        p.Round >= 0 && p.ValidRound >= -1 && p.ValidRound < p.Round && p.Value != Hash32.Zero && FitsAnySuite(p.Signature);

    private static bool WellFormed(SignedVote v) =>
        v.Round >= 0 && v.Type is VoteType.Prevote or VoteType.Precommit && v.Value != Hash32.Zero && FitsAnySuite(v.Signature);

    // Checked here, not only by the verifier: peers' prevotes go into the write-ahead record, whose bound
    // (WriteAheadCodec.EncodedBytesMax) must not rest on every verifier refusing long signatures.
    private static bool FitsAnySuite(byte[]? signature) =>
        signature is not null && signature.Length <= SignatureSuites.SignatureBytesMax;

    private void Store(ConsensusMessage message)
    {
        var result = message switch
        {
            SignedProposal p => _keeper.AddProposal(p),
            SignedVote v => _keeper.AddVote(v),
            _ => throw new InvalidOperationException("only proposals and votes are stored"),
        };
        switch (result.Outcome)
        {
            case VoteOutcome.Duplicate:
                Counters.Duplicate++;
                break;
            case VoteOutcome.Equivocation:
                Counters.Equivocation++;
                if (result.Evidence is { } evidence)
                {
                    _effects.Add(new DriverEffect.ReportEvidence(evidence));
                }
                break;
        }
    }

    private void OnCommitOffer(CommitOffer offer)
    {
        var certificate = offer.Certificate;
        if (certificate is null || certificate.Height != _state.Height || _state.Step == RoundStep.Commit)
        {
            return;
        }
        if (CommitCertificateVerifier.Verify(_validators, _config.ChainId, certificate, _verifier) != CommitCertificateVerdict.Valid)
        {
            Counters.InvalidCertificate++;
            return;
        }
        // The certificate is itself the 2f+1 precommits of L49. It is not merged into the keeper: an
        // equivocating validator may have sent this node a different precommit first, which the keeper
        // would keep, leaving the node one vote short of a quorum that provably exists.
        _offeredCommit ??= certificate;
    }

    private void OnTimeout(DriverInput.TimeoutElapsed t)
    {
        RoundInput? input = t.Step switch
        {
            RoundStep.Propose => new RoundInput.TimeoutPropose(t.Height, t.Round),
            RoundStep.Prevote => new RoundInput.TimeoutPrevote(t.Height, t.Round),
            RoundStep.Precommit => new RoundInput.TimeoutPrecommit(t.Height, t.Round),
            _ => null,
        };
        if (input is not null)
        {
            Apply(input);
        }
    }

    /// <summary>
    /// Checks every rule's condition against the keeper and feeds the ones that hold, until nothing changes.
    /// Re-checking (rather than reacting to one event) also covers entering a round whose quorums arrived
    /// earlier; the state machine's step checks and "first time" flags make a repeated input a no-op.
    /// </summary>
    private void Evaluate()
    {
        RoundState before;
        do
        {
            before = _state;
            if (_state.Step == RoundStep.Commit)
            {
                return;
            }
            // L49 for any round of the height (CONSENSUS-NOTES rule 1), from own precommits or a certificate.
            var quorums = _keeper.CommitQuorums.ToList();
            if (_offeredCommit is { } offered)
            {
                quorums.Add(((int)offered.Round, new Hash32(offered.BlockHash.Span)));
            }
            foreach (var (round, value) in quorums)
            {
                var validity = ValidityOf(value);
                if (validity != BlockValidity.Unknown)
                {
                    Apply(new RoundInput.CommitQuorum(round, value, validity == BlockValidity.Valid));
                    if (_state.Step == RoundStep.Commit)
                    {
                        return;
                    }
                }
            }
            // L55.
            if (_keeper.HighestSkipRound(_state.Round) is { } skip)
            {
                Apply(new RoundInput.RoundSkip(skip));
            }
            EvaluateCurrentRound();
        }
        while (_state != before);
    }

    private void EvaluateCurrentRound()
    {
        var round = _state.Round;
        var proposals = _keeper.ProposalsOf(round);
        for (var i = 0; i < proposals.Count; i++)
        {
            var proposal = proposals[i];
            var validity = ValidityOf(proposal.Value);
            if (validity == BlockValidity.Unknown)
            {
                continue;
            }
            var valid = validity == BlockValidity.Valid;
            // Only the first proposal is prevoted (rule 8); an equivocator's second one may still be the one with the polka.
            if (i == 0 && proposal.ValidRound == -1)
            {
                Apply(new RoundInput.ProposalReceived(round, proposal.Value, -1, valid && IsTimelyInPropose(proposal.Value)));
            }
            else if (i == 0 && _keeper.HasPolkaFor(proposal.ValidRound, proposal.Value))
            {
                // L28 (CONSENSUS-NOTES rule 3): the polka of round vr, kept because all rounds are kept.
                Apply(new RoundInput.ProposalWithPolkaPrevious(round, proposal.Value, proposal.ValidRound, valid));
            }
            if (_keeper.HasPolkaFor(round, proposal.Value))
            {
                // L36.
                Apply(new RoundInput.ProposalWithPolkaCurrent(round, proposal.Value, valid));
            }
        }
        if (_keeper.HasPolkaAny(round))
        {
            Apply(new RoundInput.PolkaAny(round));
        }
        if (_keeper.HasPolkaNil(round))
        {
            Apply(new RoundInput.PolkaNil(round));
        }
        if (_keeper.HasPrecommitAny(round))
        {
            Apply(new RoundInput.PrecommitAny(round));
        }
    }

    /// <summary>timely(v) matters only for the prevote of step propose; asked then and there, never cached.</summary>
    private bool IsTimelyInPropose(Hash32 value) => _state.Step != RoundStep.Propose || _proposalValidator.IsTimely(_state.Height, value);

    /// <summary>valid(v), cached per height; Unknown asks the host for the block (CONSENSUS-NOTES rule 2).</summary>
    private BlockValidity ValidityOf(Hash32 value)
    {
        if (_validity.TryGetValue(value, out var known))
        {
            return known;
        }
        var validity = _proposalValidator.Validate(_state.Height, value);
        if (validity == BlockValidity.Unknown)
        {
            if (!_missingBlocks.Contains(value) && _missingBlocks.Count < _config.MissingBlocksMax)
            {
                _missingBlocks.Add(value);
                _effects.Add(new DriverEffect.RequestBlock(_state.Height, value));
            }
            return validity;
        }
        _validity[value] = validity;
        return validity;
    }

    private void Apply(RoundInput input)
    {
        var transition = RoundStateMachine.Apply(_state, input);
        var validRoundBefore = _state.ValidRound;
        _state = transition.State;
        if (_state.ValidRound != validRoundBefore && _state.ValidValue is { } validValue)
        {
            // L36 just set the valid value from a polka the keeper holds: keep its proof beside it.
            _validPolka = _keeper.PrevotesFor(_state.ValidRound, validValue);
        }
        foreach (var output in transition.Outputs)
        {
            Perform(output);
        }
    }

    private void Perform(RoundOutput output)
    {
        var height = _state.Height;
        switch (output)
        {
            case RoundOutput.Propose or RoundOutput.CastVote when !IsMember:
                // Not in this height's set (not yet admitted, or removed): it follows the rounds and signs nothing.
                break;
            case RoundOutput.Propose p:
                if (_guard.SignProposal(height, p.Round, p.Value, p.ValidRound) is { } proposal)
                {
                    Publish(proposal);
                    SendPolkaOf(proposal);
                }
                break;
            case RoundOutput.CastVote v:
                if (_guard.SignVote(v.Type, height, v.Round, v.Value) is { } vote)
                {
                    Publish(vote);
                }
                break;
            case RoundOutput.ScheduleTimeout t:
                Schedule(t.Step, t.Round);
                break;
            case RoundOutput.RequestValue r:
                // After a restart the proposal of this round may already be signed: propose the same value.
                var value = _guard.ProposalSignedFor(height, r.Round)?.Value ?? _blockSource.ProposeValue(height, r.Round);
                Apply(new RoundInput.ProposeValue(r.Round, value));
                break;
            case RoundOutput.NewRound n:
                Apply(new RoundInput.StartRound(n.Round, IsProposer(n.Round)));
                break;
            case RoundOutput.Decide d:
                var own = Certificate(d.Round, d.Value);
                // Without an own quorum the decision came from the offered certificate (same round and value).
                var certificate = HasQuorum(own) ? own : _offeredCommit ?? own;
                _effects.Add(new DriverEffect.Decide(height, d.Round, d.Value, certificate));
                break;
        }
        Counters.RefusedSigning = _guard.Refused;
    }

    /// <summary>Own messages count in the own keeper like anyone's, and are kept for retransmission.</summary>
    private void Publish(ConsensusMessage message)
    {
        if (!_ownMessages.Contains(message))
        {
            // A new list each time: the write-ahead record holds the previous one.
            _ownMessages = [.. _ownMessages.Skip(Math.Max(0, _ownMessages.Count + 1 - _config.RetransmitMessagesMax)), message];
        }
        Store(message);
        _effects.Add(new DriverEffect.Broadcast(message));
    }

    /// <summary>
    /// A re-proposal (vr ≥ 0) travels with the prevotes of round vr, as Tendermint's proof-of-lock-change:
    /// receivers that lost them, or never got them, could not apply L28 otherwise.
    /// </summary>
    private void SendPolkaOf(SignedProposal proposal)
    {
        if (proposal.ValidRound < 0)
        {
            return;
        }
        foreach (var vote in _keeper.PrevotesFor(proposal.ValidRound, proposal.Value))
        {
            _effects.Add(new DriverEffect.Broadcast(vote));
        }
    }

    private void Schedule(RoundStep step, int round) =>
        _effects.Add(new DriverEffect.ScheduleTimeout(_state.Height, round, step, _config.Timeouts.DurationMs(step, round)));

    private CommitCertificate Certificate(int round, Hash32 value)
    {
        var certificate = new CommitCertificate
        {
            Height = _state.Height,
            Round = (uint)round,
            BlockHash = ByteString.CopyFrom(value.Span),
        };
        foreach (var vote in _keeper.PrecommitsFor(round, value))
        {
            certificate.Signatures.Add(new CommitSignature
            {
                ValidatorIndex = (uint)vote.ValidatorIndex,
                Signature = ByteString.CopyFrom(vote.Signature),
            });
        }
        return certificate;
    }

    private bool HasQuorum(CommitCertificate certificate) =>
        _validators.IsQuorum(certificate.Signatures.Sum(s => _validators.PowerOf((int)s.ValidatorIndex)));

    private void Retransmit()
    {
        _offered.Clear();
        for (var i = 0; i < _ownMessages.Count; i++)
        {
            _effects.Add(new DriverEffect.Broadcast(_ownMessages[i]));
            if (_ownMessages[i] is SignedProposal proposal)
            {
                SendPolkaOf(proposal);
            }
        }
        foreach (var block in _missingBlocks)
        {
            _effects.Add(new DriverEffect.RequestBlock(_state.Height, block));
        }
    }

    private void OfferCertificate(int peer, ulong height)
    {
        if (peer == _self || (uint)peer >= (uint)PeersMax || _offered.Count >= _config.OffersPerTickMax || !_offered.Add((peer, height)))
        {
            return;
        }
        if (_history.FindCertificate(height) is { } certificate)
        {
            Counters.CertificatesOffered++;
            _effects.Add(new DriverEffect.SendTo(peer, new CommitOffer(certificate)));
        }
    }

    private void ReplayNextHeight()
    {
        var buffered = _nextHeight.ToArray();
        _nextHeight.Clear();
        Array.Clear(_nextHeightFrom);
        foreach (var (message, from) in buffered)
        {
            if (message.Height == _state.Height)
            {
                OnMessage(message, from);
            }
        }
    }

    private bool IsProposer(int round) => _validators.ProposerOf(_state.Height, round) == _self;

    /// <summary>The write-ahead record goes first whenever it changed, so it is durable before any send.</summary>
    private List<DriverEffect> Finish()
    {
        var record = new WriteAheadRecord(
            _state.Height, _state.Round, _state.Step,
            _state.LockedValue, _state.LockedRound, _state.ValidValue, _state.ValidRound,
            _validPolka, _ownMessages, _guard.LastSigned);
        if (record != _persisted)
        {
            _effects.Insert(0, new DriverEffect.PersistWriteAhead(record));
            _persisted = record;
        }
        var effects = _effects;
        _effects = [];
        return effects;
    }
}
