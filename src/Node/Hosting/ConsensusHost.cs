using System.Threading.Channels;
using Grpc.Core;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Chain;
using Ledger.Node.Consensus;
using Ledger.Node.Mempool;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// The driver of effects around the pure consensus core: one loop that feeds it messages, timeouts and
/// fetched blocks, and carries out what it asks — persist the write-ahead record before sending, send,
/// schedule timeouts, fetch blocks, commit decisions. Blocks are built and checked here (immediate
/// execution: a header carries the state root after its own transactions). A node that falls behind
/// catches up by block sync (<see cref="BlockSync"/>), which fetches beside the loop; the loop checks and applies
/// every block and certificate. What a peer sends is charged to that peer: its own inbound queue, its own quota of
/// blocks (<see cref="ProposedBlocks"/>), and its message's sender is the validator its call authenticated.
/// </summary>
public sealed class ConsensusHost : IProposalValidator, IBlockSource, ICommitHistory
{
    private readonly NodeServices _node;
    private readonly Channel<HostEvent> _events = Channel.CreateUnbounded<HostEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The log an idle validator leaves unfolded (<see cref="BlockStore.CompactLog"/>): a few dozen empty blocks' pages.</summary>
    private const long IdleLogBytesMax = 4L * 1024 * 1024;

    /// <summary>How long a node seen behind waits for votes in flight before it syncs blocks.</summary>
    private const int CatchUpGraceMs = 200;

    private readonly ProposedBlocks _blocks = new();
    private readonly EvidencePool _evidence = new();
    // Only faithful copies are ever checked (BlockCopy), so a verdict here is a function of the id alone.
    private readonly Dictionary<Hash32, BlockCheck> _checks = [];
    private readonly HashSet<Hash32> _held = [];
    private readonly ILogger _log;
    private readonly Telemetry.NodeMetrics _metrics;
    private ConsensusDriver? _driver;
    private WriteAheadGate? _writeAhead;
    private long _headTimeMs;
    private CommitCertificate? _headCommit;
    private ulong _pausedBefore;
    /// <summary>Per validator, the highest height one of its validly signed messages named.</summary>
    private readonly ulong[] _seenHeight;
    /// <summary>The highest height of a verified commit certificate this node has seen offered.</summary>
    private ulong _certifiedHeight;
    /// <summary>A decision whose block is being fetched again (<see cref="Decide"/>).</summary>
    private DriverEffect.Decide? _pendingDecision;
    private bool _catchUpCheckPending;
    private readonly IHostEdges _edges;
    private double _lastCheckMs;

    public ConsensusHost(NodeServices node, Telemetry.NodeMetrics metrics, ILogger<ConsensusHost> log)
        : this(node, metrics, log, null)
    {
    }

    /// <summary>A host on edges of the caller's (the host-level simulator's); null for the live ones.</summary>
    internal ConsensusHost(NodeServices node, Telemetry.NodeMetrics metrics, ILogger log, IHostEdges? edges)
    {
        _node = node;
        _log = log;
        _metrics = metrics;
        _seenHeight = new ulong[ConsensusDriver.PeersMax];
        _inboundPending = new int[ConsensusDriver.PeersMax];
        _edges = edges ?? new LiveHostEdges(node, Post, HeadCommitIsValid, log);
        LastCommitMs = _edges.NowMs;
        ReadHead();
        metrics.Observe(this);
    }

    public int Round => _driver?.State.Round ?? 0;

    /// <summary>When this node last committed or synced a block (Unix ms, local clock; start-up before the first).</summary>
    public long LastCommitMs { get; private set; }

    /// <summary>When this validator last started a height after waiting for work (Unix ms, local clock); 0 before the first.</summary>
    public long ActiveSinceMs { get; private set; }

    /// <summary>This validator waits for a transaction or the heartbeat before starting the next height (quiet when idle).</summary>
    public bool Idle => Volatile.Read(ref _pausedBefore) != 0;

    /// <summary>The loop stopped on an error (a failed disk, a validator set too large for the journal): the node must not be trusted to serve.</summary>
    public bool Faulted { get; private set; }

    /// <summary>This validator's last write-ahead record was refused, so it sends nothing (see <see cref="WriteAheadGate"/>).</summary>
    public bool HoldingMessages => _writeAhead is { MaySend: false };

    public Consensus.ConsensusCounters? Counters => _driver?.Counters;

    /// <summary>Equivocation proofs in the blocks this node committed since it started.</summary>
    public long EvidenceCommitted { get; private set; }

    /// <summary>
    /// Messages of one peer waiting for the loop; past this that peer's are dropped (peers retransmit), so a flood fills
    /// its sender's queue, never memory nor another peer's turn.
    /// </summary>
    public const int InboundPendingPerPeerMax = 5_000;
    private readonly int[] _inboundPending;

    /// <summary>Inbound peer messages dropped because the loop was behind.</summary>
    public long InboundDropped => Interlocked.Read(ref _inboundDropped);

    private long _inboundDropped;

    /// <summary>Outbound messages dropped because a peer's outbox was full (the peer is slow or down).</summary>
    public long OutboundDropped => _node.Network.Links.Sum(l => l.Dropped);

    /// <summary>What this host holds that a peer's messages could grow: the host-level simulator checks its bounds after every step.</summary>
    internal HostFootprint Footprint => new(_blocks.Count, _checks.Count, _evidence.Count, _inboundPending.Sum(), _driver?.NextHeightBuffered ?? 0);

    public void Post(HostEvent e)
    {
        if (e is HostEvent.Inbound inbound)
        {
            if ((uint)inbound.From >= (uint)_inboundPending.Length || Interlocked.Increment(ref _inboundPending[inbound.From]) > InboundPendingPerPeerMax)
            {
                if ((uint)inbound.From < (uint)_inboundPending.Length)
                {
                    Interlocked.Decrement(ref _inboundPending[inbound.From]);
                }
                Interlocked.Increment(ref _inboundDropped);
                return;
            }
        }
        _events.Writer.TryWrite(e);
    }

    /// <summary>
    /// A block proposed for the height being decided or the next, or the head block: for a peer that saw it decided but
    /// never received it, one height behind this node at most.
    /// </summary>
    public Block? FindProposedBlock(Hash32 id) =>
        _blocks.Find(id)
        ?? (_node.Store.Head is { Height: > 0 } head && head.BlockHash == id ? _node.Store.GetBlock(head.Height) : null);

    /// <summary>A transaction entered the mempool: a proposer pausing for lack of work can stop pausing.</summary>
    public void TransactionArrived()
    {
        var paused = Volatile.Read(ref _pausedBefore);
        if (paused != 0)
        {
            Post(new HostEvent.StartNextHeight(paused));
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        // Before block sync, which may take long: a validator set whose records may not fit the journal is a setup error.
        OpenWriteAhead();
        // Before the loop starts nothing else runs, so blocks found at start are applied here, one batch at a time.
        await _edges.SyncBeforeStartAsync(ApplySynced, ct);
        StartConsensus();
        using var ticker = new Timer(_ => Post(new HostEvent.Tick()), null, _node.Timeouts.RebroadcastMs, _node.Timeouts.RebroadcastMs);
        await foreach (var e in _events.Reader.ReadAllAsync(ct))
        {
            HandleGuarded(e, ct);
        }
    }

    /// <summary>The write-ahead gate of a validator; a read replica has none.</summary>
    internal void OpenWriteAhead()
    {
        try
        {
            _writeAhead = _node.Signer is { IsPlaced: true } self
                ? new WriteAheadGate(_node.Journal, ConsensusDriver.PeersMax, Config().RetransmitMessagesMax, self.ValidatorIndex, _log)
                : null;
        }
        catch (InvalidOperationException ex)
        {
            _log.LogCritical(ex, "This validator cannot keep its write-ahead record; not starting consensus");
            Faulted = true;
            throw;
        }
    }

    /// <summary>Resumes a validator's rounds from its write-ahead record, with the blocks its lock and valid value name.</summary>
    internal void StartConsensus()
    {
        if (_node.Signer is not { IsPlaced: true } signer)
        {
            return;
        }
        _driver = NewDriver(signer);
        var record = _node.Journal.Load() is { } stored ? WriteAheadCodec.Decode(stored.Bytes) : null;
        foreach (var id in new[] { record?.LockedValue, record?.ValidValue }.OfType<Hash32>())
        {
            // This node's own record and store: the body was a faithful copy when it was held.
            if (_node.Store.HeldBlock(id) is { } bytes && _blocks.TryAdd(id, Block.Parser.ParseFrom(bytes), ProposedBlocks.Self))
            {
                _held.Add(id);
            }
        }
        Execute(_driver.Resume(record, _node.Store.Head.Height + 1));
    }

    /// <summary>Handles what was posted so far, one event at a time, as the loop would: the host-level simulator's step.</summary>
    internal void HandlePosted(CancellationToken ct)
    {
        while (_events.Reader.TryRead(out var e))
        {
            HandleGuarded(e, ct);
        }
    }

    private void HandleGuarded(HostEvent e, CancellationToken ct)
    {
        try
        {
            Handle(e, ct);
        }
        catch (DiskFullException ex)
        {
            // Nothing of the write was committed, and nothing this node signed after its last durable record was sent. The
            // node reopens its storage and resumes from its journal, as after a crash, once space is back (LedgerNode).
            _log.LogCritical("Disk full; consensus stopped, submissions refused, reads still served, resuming when space is freed: {Reason}", ex.Message);
            Faulted = true;
            throw;
        }
        catch (StorageException ex)
        {
            // A disk that fails a write must stop the node: carrying on could vote on what was never stored. One line: the
            // exception's message says what and where, and the person's next step is in it (StorageDamagedException).
            _log.LogCritical("Storage failed; stopping the node: {Reason}", ex.Message);
            Faulted = true;
            throw;
        }
        catch (Exception ex) when (e is HostEvent.Inbound or HostEvent.BlockFetched or HostEvent.SyncedBlocks && ex is not OperationCanceledException)
        {
            // What a peer sent must never stop the loop: every check should refuse it first, and this is the net
            // under those checks. The message is dropped; the loop goes on.
            _log.LogError(ex, "A {Event} from a peer could not be handled and was dropped", e.GetType().Name);
            if (e is HostEvent.SyncedBlocks synced)
            {
                synced.Applied.TrySetResult(false);
            }
        }
    }

    private void Handle(HostEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case HostEvent.Inbound inbound:
                Interlocked.Decrement(ref _inboundPending[inbound.From]);
                Receive(inbound.Envelope, inbound.From);
                break;
            case HostEvent.Timeout t when _driver is not null:
                Execute(_driver.Handle(new DriverInput.TimeoutElapsed(t.Height, t.Round, t.Step)));
                break;
            case HostEvent.BlockFetched fetched when _driver is not null:
                // Asked for by the driver, so worth room: the oldest of that peer's blocks gives way if it must.
                if (fetched.Block.Header.Height == fetched.Height && IsNear(fetched.Height)
                    && (_blocks.Contains(fetched.BlockId) || _blocks.TryAdd(fetched.BlockId, fetched.Block, fetched.From, IsInUse, Evicted)))
                {
                    if (_pendingDecision is { } pending && pending.BlockId == fetched.BlockId && pending.Height == fetched.Height)
                    {
                        Decide(pending);
                        break;
                    }
                    Execute(_driver.Handle(new DriverInput.BlockReceived(fetched.Height, fetched.BlockId)));
                }
                break;
            case HostEvent.SyncedBlocks synced:
                synced.Applied.TrySetResult(ApplySynced(synced.Blocks));
                break;
            case HostEvent.StartNextHeight start when _driver is not null && start.Height == _pausedBefore
                && start.Height == _node.Store.Head.Height + 1:
                StartPaused(start.Height);
                break;
            case HostEvent.CatchUpCheck:
                _catchUpCheckPending = false;
                if (_driver is not null && IsBehind())
                {
                    _edges.StartSync(ct);
                }
                break;
            case HostEvent.Tick:
                // A read replica has no votes to tell it is behind: it asks at every tick.
                if (_driver is null || IsBehind())
                {
                    _edges.StartSync(ct);
                }
                if (_driver is not null)
                {
                    Execute(_driver.Handle(new DriverInput.RebroadcastTick()));
                }
                if (_pendingDecision is { } waiting)
                {
                    _edges.FetchBlock(waiting.Height, waiting.BlockId);
                }
                break;
        }
    }

    private void Receive(PeerEnvelope envelope, int from)
    {
        var message = ConsensusWire.FromWire(envelope);
        if (message is null)
        {
            if (envelope.MessageCase != PeerEnvelope.MessageOneofCase.None && _driver is not null)
            {
                // A consensus message whose fields cannot even be read as one: dropped like any other malformed message, and counted.
                _driver.Counters.Malformed++;
            }
            return;
        }
        KeepAttachedBlock(envelope, message, from);
        NoteHeight(message);
        if (_driver is not null)
        {
            Execute(_driver.Handle(new DriverInput.MessageReceived(message, from)));
            WakeOnPeer(message);
        }
    }

    /// <summary>
    /// A validator started the height this node waits before (it had a transaction, or its heartbeat came first): start
    /// too, or its proposal would go unvoted. Only a validly signed proposal or vote counts, so nobody else can make this
    /// node produce blocks; a faulty validator can, at worst, make the network commit empty blocks at consensus speed, as
    /// one that submits transactions could.
    /// </summary>
    private void WakeOnPeer(ConsensusMessage message)
    {
        var paused = _pausedBefore;
        if (paused != 0 && message.Height == paused && paused == _node.Store.Head.Height + 1
            && message is SignedProposal or SignedVote && IsSignedByAValidator(message))
        {
            StartPaused(paused);
        }
    }

    private void StartPaused(ulong height)
    {
        Volatile.Write(ref _pausedBefore, 0);
        ActiveSinceMs = _edges.NowMs;
        Execute(_driver!.StartHeight(height));
    }

    /// <summary>
    /// A block rides on a proposal or a commit offer. It is kept only once the message checks out (signed by the proposer
    /// of its round, or certified by more than two thirds) and the copy is faithful to the id, charged to whoever vouched
    /// for it; before that it could be anyone's bytes under anyone's id. Only the height being decided and the next: a
    /// node a little slower than its peers gets the next height's proposal before it has stored this one.
    /// </summary>
    private void KeepAttachedBlock(PeerEnvelope envelope, ConsensusMessage message, int from)
    {
        switch (message)
        {
            case SignedProposal p when envelope.Proposal.Block is { Header: { } header } block && header.Height == p.Height && IsNear(p.Height)
                && !_blocks.Contains(p.Value) && _node.Rosters.At(p.Height).Set.Contains(p.ProposerIndex) && p.ProposerIndex == _node.Rosters.At(p.Height).Set.ProposerOf(p.Height, p.Round)
                && IsSignedByAValidator(p):
                Keep(p.Value, block, p.ProposerIndex);
                break;
            case CommitOffer o when envelope.CommitOffer.Block is { Header: { } header } block && header.Height == o.Height && IsNear(o.Height)
                && o.Certificate.BlockHash.Length == Hash32.Size && !_blocks.Contains(new Hash32(o.Certificate.BlockHash.Span)) && HeadCommitIsValid(o.Certificate):
                Keep(new Hash32(o.Certificate.BlockHash.Span), block, from);
                break;
        }
    }

    /// <summary>Keeps the copy with nothing but the protocol's fields, if it is faithful to the id.</summary>
    private void Keep(Hash32 id, Block block, int source)
    {
        var canonical = BlockCopy.Canonical(block);
        if (BlockCopy.Mismatch(_node.Config.ChainId, canonical, id) is null)
        {
            _blocks.TryAdd(id, canonical, source, IsInUse, Evicted);
        }
    }

    /// <summary>The blocks behind this node's lock and valid value: durable, never evicted for a newer one.</summary>
    private bool IsInUse(Hash32 id) => _held.Contains(id);

    /// <summary>An evicted block's verdict goes with it (memory stays bounded); it is a function of the id, so checking the block again, if it returns, gives the same.</summary>
    private void Evicted(Hash32 id) => _checks.Remove(id);

    private bool IsNear(ulong height) => height > _node.Store.Head.Height && height <= _node.Store.Head.Height + 2;

    /// <summary>
    /// Notes how far validators are. Only validly signed messages count, or anyone could send this node syncing for
    /// nothing; and one validator alone does not make this node behind (<see cref="IsBehind"/>).
    /// </summary>
    private void NoteHeight(ConsensusMessage message)
    {
        var head = _node.Store.Head.Height;
        if (message.Height <= head + 1)
        {
            return;
        }
        var signer = message switch
        {
            SignedVote v => v.ValidatorIndex,
            SignedProposal p => p.ProposerIndex,
            _ => -1,
        };
        if (message is CommitOffer offer && offer.Height > _certifiedHeight && HeadCommitIsValid(offer.Certificate))
        {
            _certifiedHeight = offer.Height;
        }
        else if ((uint)signer < (uint)_seenHeight.Length && message.Height > _seenHeight[signer] && IsSignedByAValidator(message))
        {
            _seenHeight[signer] = message.Height;
        }
        if (!_catchUpCheckPending && IsBehind())
        {
            // Votes in flight get a moment to close the gap; the 1 s tick is too long to wait when this node proposes next.
            _catchUpCheckPending = true;
            _edges.After(CatchUpGraceMs, new HostEvent.CatchUpCheck());
        }
    }

    /// <summary>
    /// A height past the next one is certified (more than two thirds signed it), or validators with more than a third of
    /// the power are past the height this node decides: at least one correct validator decided a height this node has
    /// not. One faulty validator naming a far height cannot make a node sync.
    /// </summary>
    private bool IsBehind()
    {
        var head = _node.Store.Head.Height;
        if (_certifiedHeight > head + 1)
        {
            return true;
        }
        // Counted in the set deciding the next height: the one whose members' progress tells this node it is behind.
        var set = _node.Rosters.At(head + 1).Set;
        long ahead = 0;
        foreach (var i in set.Members)
        {
            if (_seenHeight[i] > head + 1)
            {
                ahead += set.PowerOf(i);
            }
        }
        return set.IsMoreThanOneThird(ahead);
    }

    /// <summary>Signed by a member of the latest roster this node knows: for heights past its head, the best it can tell.</summary>
    private bool IsSignedByAValidator(ConsensusMessage message)
    {
        var roster = _node.Rosters.At(message.Height);
        return message switch
        {
            SignedVote v => v.Type is VoteType.Prevote or VoteType.Precommit
                && roster.Verify(v.ValidatorIndex, ConsensusSignBytes.ForVote(_node.Config.ChainId, v.Type, v.Height, v.Round, v.Value), v.Signature),
            SignedProposal p => roster.Verify(p.ProposerIndex, ConsensusSignBytes.ForProposal(_node.Config.ChainId, p.Height, p.Round, p.Value, p.ValidRound), p.Signature),
            _ => false,
        };
    }

    private void Execute(IReadOnlyList<DriverEffect> effects)
    {
        var self = _node.Signer?.ValidatorIndex ?? -1;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case DriverEffect.PersistWriteAhead persist:
                    HoldLockedBlocks(persist.Record);
                    _writeAhead!.Persist(persist.Record);
                    break;
                case DriverEffect.Broadcast when _writeAhead is { MaySend: false }:
                    // Not backed by a durable record: once sent, a restart could contradict it.
                    break;
                case DriverEffect.Broadcast broadcast:
                    var proposed = broadcast.Message is SignedProposal p ? FindProposedBlock(p.Value) : null;
                    _edges.Broadcast(ConsensusWire.ToWire(broadcast.Message, proposed, self));
                    break;
                case DriverEffect.SendTo send:
                    var decided = send.Message is CommitOffer offer ? _node.Store.GetBlock(offer.Height) : null;
                    _edges.SendTo(send.ValidatorIndex, ConsensusWire.ToWire(send.Message, decided, self));
                    break;
                case DriverEffect.ScheduleTimeout timeout:
                    _edges.After(timeout.DurationMs, new HostEvent.Timeout(timeout.Height, timeout.Round, timeout.Step));
                    break;
                case DriverEffect.Decide decide:
                    Decide(decide);
                    break;
                case DriverEffect.RequestBlock request:
                    _edges.FetchBlock(request.Height, request.BlockId);
                    break;
                case DriverEffect.ReportEvidence evidence:
                    _log.LogWarning("Equivocation evidence: {Evidence}", evidence.Evidence);
                    if (evidence.Evidence is { First: SignedVote first, Second: SignedVote second }
                        && EquivocationProofs.Of(ConsensusWire.ToWire(first), ConsensusWire.ToWire(second)) is { } proof)
                    {
                        // Proposed by this node when its turn comes: every correct validator that saw it does the same.
                        _evidence.Add(proof);
                    }
                    break;
            }
        }
    }

    /// <summary>The blocks behind the lock and the valid value are made durable before the record that names them.</summary>
    private void HoldLockedBlocks(WriteAheadRecord record)
    {
        foreach (var id in new[] { record.LockedValue, record.ValidValue }.OfType<Hash32>().Distinct())
        {
            // The copy this node checked, if it checked one: that is the block its lock is on.
            var block = _checks.TryGetValue(id, out var check) && check.Block is { } verified ? verified.Block : _blocks.Find(id);
            if (block is not null && _held.Add(id))
            {
                _node.Store.HoldBlock(id, record.Height, Google.Protobuf.MessageExtensions.ToByteArray(block));
            }
        }
    }

    /// <summary>
    /// Quiet when idle (CometBFT's create_empty_blocks = false with an interval): with nothing to carry, every validator —
    /// not only the proposer, whose silence the others would time out on and so make an empty block a round later — waits
    /// before starting the height, for a transaction, for a validly signed message of that height from a validator (one that
    /// started it, <see cref="WakeOnPeer"/>), or for the heartbeat interval (none when it is 0). Once started, every
    /// timeout runs as usual, so a dead proposer costs a round as before.
    /// </summary>
    private void ScheduleNextHeight(ulong next)
    {
        if (_node.Pool.Count == 0)
        {
            // Idle: the moment to fold the log into the data file, so an idle node's disk grows by its data only.
            _node.Store.CompactLog(IdleLogBytesMax);
            Volatile.Write(ref _pausedBefore, next);
            if (_node.Timeouts.EmptyBlockIntervalMs > 0)
            {
                _edges.After(_node.Timeouts.EmptyBlockIntervalMs, new HostEvent.StartNextHeight(next));
            }
            if (_node.Pool.Count > 0)
            {
                // A transaction arrived between the look at the pool and the pause being visible to it.
                Post(new HostEvent.StartNextHeight(next));
            }
            return;
        }
        Execute(_driver!.StartHeight(next));
    }

    // valid(v) of the paper: asked by the driver, answered from the block and the committed chain only.
    BlockValidity IProposalValidator.Validate(ulong height, Hash32 blockId)
    {
        var check = Check(height, blockId);
        return check is null ? BlockValidity.Unknown : check.Block is null ? BlockValidity.Invalid : BlockValidity.Valid;
    }

    private BlockCheck? Check(ulong height, Hash32 blockId)
    {
        if (height != _node.Store.Head.Height + 1)
        {
            return null;
        }
        if (_checks.TryGetValue(blockId, out var known))
        {
            return known;
        }
        if (_blocks.Find(blockId) is not { } block)
        {
            return null;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var check = BlockVerifier.Verify(View(), block, BlockLimits.Protocol, _node.Pool.Find, HeadCommitIsValid, EvidenceMismatch(height));
        _lastCheckMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (check.Reason is not null)
        {
            _log.LogWarning("Block {BlockId} at height {Height} is invalid: {Reason}", blockId, height, check.Reason);
        }
        _checks[blockId] = check;
        return check;
    }

    // PBTS's timely(v) (CometBFT's proposer-based timestamps), asked at L22 only: a fresh block whose time is ahead of
    // this node's clock by more than the allowed skew gets a nil prevote, so a block is decided only with a time that
    // correct validators with more than a third of the power found no later than their own clocks allowed.
    bool IProposalValidator.IsTimely(ulong height, Hash32 blockId) =>
        _blocks.Find(blockId) is { Header: { } header }
        && header.TimeMs - Math.Clamp(_node.Timeouts.BlockTimeAheadMaxMs, 0, BlockTime.MaxMs) <= _edges.NowMs;

    // getValue() of the paper: the oldest waiting transactions that fit, executed at once.
    Hash32 IBlockSource.ProposeValue(ulong height, int round)
    {
        var limits = _node.Limits.WithinProtocol();
        var waiting = _node.Pool.Peek(limits.TransactionsMax, limits.BytesMax);
        // Gossip can slip a transaction into the pool while the block carrying it is being committed:
        // leave out, and drop, what is already committed rather than propose a duplicate.
        var committed = waiting.Where(t => _node.Store.FindTransaction(t.Id) is not null).Select(t => t.Id).ToArray();
        _node.Pool.Remove(committed);
        var transactions = committed.Length == 0 ? waiting : waiting.Where(t => !committed.Contains(t.Id)).ToArray();
        var proposer = _node.Rosters.At(height).OrganisationOf(_node.Signer!.ValidatorIndex);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var view = View();
        var mismatch = EvidenceMismatch(height);
        var evidence = _evidence.Take(EquivocationProofs.PerBlockMax,
            p => mismatch(p) is null && _node.Store.State.Get(EquivocationProofs.StateKey(p)) is null);
        var proposed = BlockAssembler.Assemble(view, proposer, _edges.NowMs, transactions, evidence);
        _lastCheckMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _blocks.TryAdd(proposed.Id, proposed.Block, ProposedBlocks.Self);
        // The header rules its peers apply (its transactions were checked as they entered the mempool, and executed just now):
        // a block this node would refuse from another, it refuses from itself, and prevotes nil on.
        var header = BlockVerifier.CheckHeader(view, proposed.Block, BlockLimits.Protocol, HeadCommitIsValid);
        if (header is not null)
        {
            _log.LogError("This node built block {BlockId} at height {Height} that breaks a header rule: {Reason}", proposed.Id, height, header);
        }
        _checks[proposed.Id] = header is null ? BlockCheck.Valid(proposed) : BlockCheck.Invalid(header);
        return proposed.Id;
    }

    CommitCertificate? ICommitHistory.FindCertificate(ulong height) => _node.Store.GetCommit(height);

    /// <summary>
    /// Commits a decision. The block was valid when the driver asked, but may have given way in <see cref="ProposedBlocks"/>
    /// since (a long height of many rounds); then it is fetched again by its id and committed when it arrives.
    /// </summary>
    private void Decide(DriverEffect.Decide decide)
    {
        if (Check(decide.Height, decide.BlockId)?.Block is not { } proposed)
        {
            _pendingDecision = decide;
            _log.LogWarning("Height {Height} decided block {BlockId}, which this node no longer holds; fetching it", decide.Height, decide.BlockId);
            _edges.FetchBlock(decide.Height, decide.BlockId);
            return;
        }
        _pendingDecision = null;
        Store(proposed, decide.Certificate);
        ScheduleNextHeight(decide.Height + 1);
    }

    private void Store(ProposedBlock proposed, CommitCertificate certificate)
    {
        if (_pendingDecision is { } pending && pending.Height <= proposed.Block.Header.Height)
        {
            // Block sync brought the decided height first.
            _pendingDecision = null;
        }
        var ids = proposed.Transactions.Select(t => t.Id).ToArray();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _node.Store.CommitBlock(CommittedBlock.From(proposed.Block, certificate, ids, proposed.Outcome));
        _node.Rosters.Refresh(_node.Store.State);
        var storeMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _headTimeMs = proposed.Block.Header.TimeMs;
        _headCommit = certificate;
        LastCommitMs = _edges.NowMs;
        var admitted = _node.Pool.Remove(ids);
        _evidence.Committed(proposed.Block.Evidence);
        EvidenceCommitted += proposed.Block.Evidence.Count;
        _metrics.Committed(proposed.Outcome.Receipts, admitted);
        _blocks.DropUpTo(proposed.Block.Header.Height);
        _checks.Clear();
        _held.Clear();
        _node.Feed.Publish(proposed.Block.Header.Height, ids);
        // An idle network commits an empty heartbeat block every interval: not worth a line at Information.
        _log.Log(ids.Length == 0 ? LogLevel.Debug : LogLevel.Information,
            "Committed height {Height} in round {Round} with {Count} transactions, block {BlockId} (executed in {ExecuteMs:F0} ms, stored in {StoreMs:F0} ms, mempool {Pending})",
            proposed.Block.Header.Height, certificate.Round, ids.Length, proposed.Id, _lastCheckMs, storeMs, _node.Pool.Count);
    }

    /// <summary>Checks and commits certified blocks from block sync that follow the head; true when the head moved.</summary>
    private bool ApplySynced(IReadOnlyList<StoredBlock> batch)
    {
        var before = _node.Store.Head.Height;
        foreach (var stored in batch)
        {
            if (stored.Block?.Header?.Height == _node.Store.Head.Height + 1 && !Apply(stored))
            {
                break;
            }
        }
        var after = _node.Store.Head.Height;
        if (after <= before)
        {
            return false;
        }
        _log.LogInformation("Caught up from height {From} to {To} by block sync", before, after);
        TakePlaceIfAdded();
        if (_driver is not null && _driver.State.Height <= after)
        {
            // A pause for the height synced past is over: its start would not follow the driver's height.
            Volatile.Write(ref _pausedBefore, 0);
            Execute(_driver.StartHeight(after + 1));
        }
        return true;
    }

    /// <summary>
    /// A node waiting to be a validator follows by block sync; once it has committed the change that adds its key, it
    /// speaks to its peers as that validator and starts its rounds at the next height (signing from the height the
    /// change is in force, PROTOCOL.md "Validator sets").
    /// </summary>
    private void TakePlaceIfAdded()
    {
        if (_driver is not null || _node.Signer is not { IsPlaced: false } signer || _node.Rosters.IndexOf(signer.PublicKey) is not (>= 0 and var index))
        {
            return;
        }
        signer.Place(index);
        _node.Network.BecomeValidator(index, signer.PeerCallSigner(_node.Config.ChainId));
        _log.LogInformation("This node's key is now validator {Index}; joining consensus at height {Height}", index, _node.Store.Head.Height + 1);
        OpenWriteAhead();
        StartConsensus();
    }

    private bool Apply(StoredBlock stored)
    {
        var header = stored.Block?.Header;
        if (header is null || header.Height != _node.Store.Head.Height + 1)
        {
            return false;
        }
        var id = BlockHashing.HeaderHash(header);
        if (stored.Certificate is not { } certificate || certificate.Height != header.Height
            || certificate.BlockHash.Length != Hash32.Size || new Hash32(certificate.BlockHash.Span) != id || !HeadCommitIsValid(certificate))
        {
            _log.LogWarning("A peer served block {Height} without a valid commit certificate", header.Height);
            return false;
        }
        var check = BlockVerifier.Verify(View(), stored.Block!, BlockLimits.Protocol, _node.Pool.Find, HeadCommitIsValid,
            EvidenceMismatch(header.Height));
        if (check.Block is null)
        {
            _log.LogWarning("A peer served an invalid block {Height}: {Reason}", header.Height, check.Reason);
            return false;
        }
        Store(check.Block, certificate);
        return true;
    }

    private Func<EquivocationProof, string?> EvidenceMismatch(ulong height) =>
        proof =>
        {
            // Judged by the set of the votes' height: positions are never reused, so the index names one validator.
            var roster = _node.Rosters.At(proof.First?.Height ?? height);
            return EquivocationProofs.Mismatch(_node.Config.ChainId, roster.Set, roster, height, proof);
        };

    private bool HeadCommitIsValid(CommitCertificate certificate) => _node.Rosters.CertificateIsValid(certificate);

    private ChainView View()
    {
        var head = _node.Store.Head;
        return new ChainView(_node.Config, head.Height, head.BlockHash, _headTimeMs, head.StateRoot, _headCommit, _node.Store.State, _node.Store.TreePages);
    }

    private void ReadHead()
    {
        var head = _node.Store.Head;
        _headTimeMs = head.Height == 0 ? _node.Config.GenesisTimeMs : _node.Store.GetBlock(head.Height)!.Header.TimeMs;
        _headCommit = head.Height == 0 ? null : _node.Store.GetCommit(head.Height);
    }

    private ConsensusDriver NewDriver(ValidatorSigner signer) => new(Config(), _node.Rosters.RosterAt, signer, this, this, this);

    private ConsensusConfig Config()
    {
        var t = _node.Timeouts;
        var timeouts = new TimeoutConfig(t.ProposeBaseMs, t.ProposeDeltaMs, t.PrevoteBaseMs, t.PrevoteDeltaMs, t.PrecommitBaseMs, t.PrecommitDeltaMs);
        return new ConsensusConfig(_node.Config.ChainId, timeouts);
    }
}
