using Ledger.Contracts.Consensus;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Ledger.Contracts.Blocks;
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
/// catches up by block sync, checking every block and certificate, and does not vote meanwhile.
/// </summary>
public sealed class ConsensusHost : IProposalValidator, IBlockSource, ICommitHistory
{
    private readonly NodeServices _node;
    private readonly Channel<HostEvent> _events = Channel.CreateUnbounded<HostEvent>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>Proposed blocks held for the height being decided and the next: a round each for several rounds, not a flood's worth.</summary>
    public const int ProposedBlocksMax = 64;

    /// <summary>How long a node seen behind waits for votes in flight before it syncs blocks.</summary>
    private const int CatchUpGraceMs = 200;

    private readonly ConcurrentDictionary<Hash32, Block> _blocks = new();
    private readonly Dictionary<Hash32, BlockCheck> _checks = [];
    private readonly HashSet<Hash32> _held = [];
    private readonly ILogger _log;
    private readonly Telemetry.NodeMetrics _metrics;
    private ConsensusDriver? _driver;
    private WriteAheadGate? _writeAhead;
    private long _headTimeMs;
    private CommitCertificate? _headCommit;
    private ulong _pausedBefore;
    /// <summary>The highest height a validator's signed message named past the height this node decides; 0 when none since the last sync.</summary>
    private ulong _validatorSeenAt;
    /// <summary>The highest such height beyond the next one, whose messages the engine dropped (it buffers one height ahead); 0 when none.</summary>
    private ulong _droppedAt;
    private bool _catchUpCheckPending;
    private double _lastCheckMs;

    public ConsensusHost(NodeServices node, Telemetry.NodeMetrics metrics, ILogger<ConsensusHost> log)
    {
        _node = node;
        _log = log;
        _metrics = metrics;
        ReadHead();
        metrics.Observe(this);
    }

    public int Round => _driver?.State.Round ?? 0;

    /// <summary>When this node last committed or synced a block (Unix ms, local clock; start-up before the first).</summary>
    public long LastCommitMs { get; private set; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The loop stopped on an error (a failed disk, a validator set too large for the journal): the node must not be trusted to serve.</summary>
    public bool Faulted { get; private set; }

    /// <summary>This validator's last write-ahead record was refused, so it sends nothing (see <see cref="WriteAheadGate"/>).</summary>
    public bool HoldingMessages => _writeAhead is { MaySend: false };

    public Consensus.ConsensusCounters? Counters => _driver?.Counters;

    /// <summary>Peer messages waiting for the loop; past this they are dropped (peers retransmit), so a flood cannot fill memory.</summary>
    public const int InboundPendingMax = 20_000;
    private int _inboundPending;

    /// <summary>Inbound peer messages dropped because the loop was behind.</summary>
    public long InboundDropped => Interlocked.Read(ref _inboundDropped);

    private long _inboundDropped;

    /// <summary>Outbound messages dropped because a peer's outbox was full (the peer is slow or down).</summary>
    public long OutboundDropped => _node.Network.Links.Sum(l => l.Dropped);

    public void Post(HostEvent e)
    {
        if (e is HostEvent.Inbound && Interlocked.Increment(ref _inboundPending) > InboundPendingMax)
        {
            Interlocked.Decrement(ref _inboundPending);
            Interlocked.Increment(ref _inboundDropped);
            return;
        }
        _events.Writer.TryWrite(e);
    }

    /// <summary>
    /// A block proposed for the height being decided or the next, or the head block: for a peer that saw it decided but
    /// never received it, one height behind this node at most.
    /// </summary>
    public Block? FindProposedBlock(Hash32 id) =>
        _blocks.TryGetValue(id, out var block) ? block
        : _node.Store.Head is { Height: > 0 } head && head.BlockHash == id ? _node.Store.GetBlock(head.Height)
        : null;

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
        try
        {
            // Before block sync, which may take long: a validator set whose records may not fit the journal is a setup error.
            _writeAhead = _node.Signer is { } self
                ? new WriteAheadGate(_node.Journal, _node.Keys.Set.Count, Config().RetransmitMessagesMax, self.ValidatorIndex, _log)
                : null;
        }
        catch (InvalidOperationException ex)
        {
            _log.LogCritical(ex, "This validator cannot keep its write-ahead record; not starting consensus");
            Faulted = true;
            throw;
        }
        await CatchUpAsync(ct);
        if (_node.Signer is { } signer)
        {
            _driver = NewDriver(signer);
            var record = _node.Journal.Load() is { } stored ? WriteAheadCodec.Decode(stored.Bytes) : null;
            foreach (var id in new[] { record?.LockedValue, record?.ValidValue }.OfType<Hash32>())
            {
                if (_node.Store.HeldBlock(id) is { } bytes)
                {
                    _blocks[id] = Block.Parser.ParseFrom(bytes);
                    _held.Add(id);
                }
            }
            Execute(_driver.Resume(record, _node.Store.Head.Height + 1));
        }
        using var ticker = new Timer(_ => Post(new HostEvent.Tick()), null, _node.Timeouts.RebroadcastMs, _node.Timeouts.RebroadcastMs);
        await foreach (var e in _events.Reader.ReadAllAsync(ct))
        {
            try
            {
                await HandleAsync(e, ct);
            }
            catch (StorageException ex)
            {
                // A disk that fails a write must stop the node: carrying on could vote on what was never stored.
                _log.LogCritical(ex, "Storage failed; stopping the node");
                Faulted = true;
                throw;
            }
        }
    }

    private async Task HandleAsync(HostEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case HostEvent.Inbound inbound:
                Interlocked.Decrement(ref _inboundPending);
                Receive(inbound.Envelope);
                break;
            case HostEvent.Timeout t when _driver is not null:
                Execute(_driver.Handle(new DriverInput.TimeoutElapsed(t.Height, t.Round, t.Step)));
                break;
            case HostEvent.BlockFetched fetched when _driver is not null:
                _blocks[BlockHashing.HeaderHash(fetched.Block.Header)] = fetched.Block;
                Execute(_driver.Handle(new DriverInput.BlockReceived(fetched.Height, BlockHashing.HeaderHash(fetched.Block.Header))));
                break;
            case HostEvent.StartNextHeight start when _driver is not null && start.Height == _pausedBefore
                && start.Height == _node.Store.Head.Height + 1:
                _pausedBefore = 0;
                Execute(_driver.StartHeight(start.Height));
                break;
            case HostEvent.CatchUpCheck:
                _catchUpCheckPending = false;
                if (_driver is not null && IsBehind())
                {
                    await CatchUpAsync(ct);
                }
                break;
            case HostEvent.Tick:
                if (_driver is null || IsBehind())
                {
                    await CatchUpAsync(ct);
                }
                if (_driver is not null)
                {
                    Execute(_driver.Handle(new DriverInput.RebroadcastTick()));
                }
                break;
        }
    }

    private void Receive(PeerEnvelope envelope)
    {
        var head = _node.Store.Head.Height;
        var attached = envelope.MessageCase switch
        {
            PeerEnvelope.MessageOneofCase.Proposal => (envelope.Proposal.Block, envelope.Proposal.BlockId),
            PeerEnvelope.MessageOneofCase.CommitOffer => (envelope.CommitOffer.Block, envelope.CommitOffer.Certificate?.BlockHash ?? Google.Protobuf.ByteString.Empty),
            _ => (null, Google.Protobuf.ByteString.Empty),
        };
        // Blocks ride on unverified messages: keep a bounded few, for the height being decided and the next. A node a
        // little slower than its peers gets the next height's proposal before it has stored this one, and its buffered
        // proposal would otherwise find no block and wait out a timeout.
        if (attached.Item1 is { Header: { } header } block && header.Height > head && header.Height <= head + 2 && _blocks.Count < ProposedBlocksMax
            && attached.Item2.Length == Hash32.Size && BlockHashing.HeaderHash(header) == new Hash32(attached.Item2.Span))
        {
            // The first copy stays: a block's id is its header's hash, which covers its transactions' ids but not their
            // signatures, so a later copy under the same id may differ from the one already checked.
            _blocks.TryAdd(new Hash32(attached.Item2.Span), block);
        }
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
        var dropped = message.Height > head + 2;
        if (message.Height > head + 1 && (message.Height > _validatorSeenAt || (dropped && message.Height > _droppedAt)) && IsSignedByAValidator(message))
        {
            // A validator is past the height this node decides: it decided that height, maybe with votes this node
            // missed. The engine drops messages beyond the next height, so votes of a height this node has yet to
            // decide can be lost for good. Fetch the blocks shortly (below) unless decisions close the gap first.
            // Heights are kept, not the head they were seen at: a node two heights behind that then decides one from
            // votes it had is still behind, and must not wait for the next height's timeouts. Only a validly signed
            // message counts, or anyone could send this node syncing for nothing.
            _validatorSeenAt = Math.Max(_validatorSeenAt, message.Height);
            if (dropped)
            {
                _droppedAt = Math.Max(_droppedAt, message.Height);
            }
            if (!_catchUpCheckPending && IsBehind())
            {
                // Votes in flight get a moment to close the gap; the 1 s tick is too long to wait when this node proposes next.
                _catchUpCheckPending = true;
                _ = Task.Delay(CatchUpGraceMs).ContinueWith(_ => Post(new HostEvent.CatchUpCheck()), TaskScheduler.Default);
            }
        }
        if (_driver is not null)
        {
            Execute(_driver.Handle(new DriverInput.MessageReceived(message, (int)envelope.FromValidator)));
        }
    }

    /// <summary>
    /// A validator is past the height this node decides, so it decided heights this node has not; or the engine dropped
    /// votes of a height this node has not decided, which will not come again. Decisions since count: only a gap still open.
    /// </summary>
    private bool IsBehind() => _node.Store.Head.Height + 1 < _validatorSeenAt || _node.Store.Head.Height < _droppedAt;

    private bool IsSignedByAValidator(ConsensusMessage message) => message switch
    {
        SignedVote v => _node.Keys.Verify(v.ValidatorIndex, ConsensusSignBytes.ForVote(_node.Config.ChainId, v.Type, v.Height, v.Round, v.Value), v.Signature),
        SignedProposal p => _node.Keys.Verify(p.ProposerIndex, ConsensusSignBytes.ForProposal(_node.Config.ChainId, p.Height, p.Round, p.Value, p.ValidRound), p.Signature),
        CommitOffer o => HeadCommitIsValid(o.Certificate),
        _ => false,
    };

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
                    _node.Network.Broadcast(ConsensusWire.ToWire(broadcast.Message, proposed, self));
                    break;
                case DriverEffect.SendTo send:
                    var decided = send.Message is CommitOffer offer ? _node.Store.GetBlock(offer.Height) : null;
                    _node.Network.SendTo(send.ValidatorIndex, ConsensusWire.ToWire(send.Message, decided, self));
                    break;
                case DriverEffect.ScheduleTimeout timeout:
                    _ = Task.Delay(TimeSpan.FromMilliseconds(timeout.DurationMs))
                        .ContinueWith(_ => Post(new HostEvent.Timeout(timeout.Height, timeout.Round, timeout.Step)), TaskScheduler.Default);
                    break;
                case DriverEffect.Decide decide:
                    Commit(decide.Height, decide.BlockId, decide.Certificate);
                    ScheduleNextHeight(decide.Height + 1);
                    break;
                case DriverEffect.RequestBlock request:
                    _ = FetchAsync(request.Height, request.BlockId);
                    break;
                case DriverEffect.ReportEvidence evidence:
                    _log.LogWarning("Equivocation evidence: {Evidence}", evidence.Evidence);
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
            var block = _checks.TryGetValue(id, out var check) && check.Block is { } verified ? verified.Block : _blocks.GetValueOrDefault(id);
            if (block is not null && _held.Add(id))
            {
                _node.Store.HoldBlock(id, record.Height, Google.Protobuf.MessageExtensions.ToByteArray(block));
            }
        }
    }

    private async Task FetchAsync(ulong height, Hash32 blockId)
    {
        var block = await _node.Network.FetchProposedBlockAsync(blockId, CancellationToken.None);
        if (block is not null)
        {
            Post(new HostEvent.BlockFetched(height, block));
        }
    }

    private void ScheduleNextHeight(ulong next)
    {
        var proposer = _node.Keys.Set.ProposerOf(next, 0) == _node.Signer?.ValidatorIndex;
        if (proposer && _node.Pool.Count == 0)
        {
            // Nothing to carry: wait for a transaction, or make an empty heartbeat block after the interval.
            Volatile.Write(ref _pausedBefore, next);
            _ = Task.Delay(TimeSpan.FromMilliseconds(_node.Timeouts.EmptyBlockIntervalMs))
                .ContinueWith(_ => Post(new HostEvent.StartNextHeight(next)), TaskScheduler.Default);
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
        if (!_blocks.TryGetValue(blockId, out var block))
        {
            return null;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var check = BlockVerifier.Verify(View(), block, _node.Keys.Organisations, BlockLimits.Protocol, _node.Pool.Find, HeadCommitIsValid);
        _lastCheckMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (check.Reason is not null)
        {
            _log.LogWarning("Block {BlockId} at height {Height} is invalid: {Reason}", blockId, height, check.Reason);
        }
        _checks[blockId] = check;
        return check;
    }

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
        var proposer = _node.Keys.Organisations[_node.Signer!.ValidatorIndex];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var proposed = BlockAssembler.Assemble(View(), proposer, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), transactions);
        _lastCheckMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _blocks[proposed.Id] = proposed.Block;
        _checks[proposed.Id] = BlockCheck.Valid(proposed);
        return proposed.Id;
    }

    CommitCertificate? ICommitHistory.FindCertificate(ulong height) => _node.Store.GetCommit(height);

    private void Commit(ulong height, Hash32 blockId, CommitCertificate certificate)
    {
        var proposed = Check(height, blockId)?.Block
            ?? throw new InvalidOperationException($"height {height} decided block {blockId}, which this node never validated");
        Store(proposed, certificate);
    }

    private void Store(ProposedBlock proposed, CommitCertificate certificate)
    {
        var ids = proposed.Transactions.Select(t => t.Id).ToArray();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _node.Store.CommitBlock(CommittedBlock.From(proposed.Block, certificate, ids, proposed.Outcome));
        var storeMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _headTimeMs = proposed.Block.Header.TimeMs;
        _headCommit = certificate;
        LastCommitMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var admitted = _node.Pool.Remove(ids);
        _metrics.Committed(proposed.Outcome.Receipts, admitted);
        foreach (var (id, block) in _blocks)
        {
            if (block.Header.Height <= proposed.Block.Header.Height)
            {
                _blocks.TryRemove(id, out _);
            }
        }
        _checks.Clear();
        _held.Clear();
        _node.Feed.Publish(proposed.Block.Header.Height, ids);
        // An idle network commits an empty heartbeat block every interval: not worth a line at Information.
        _log.Log(ids.Length == 0 ? LogLevel.Debug : LogLevel.Information,
            "Committed height {Height} in round {Round} with {Count} transactions, block {BlockId} (executed in {ExecuteMs:F0} ms, stored in {StoreMs:F0} ms, mempool {Pending})",
            proposed.Block.Header.Height, certificate.Round, ids.Length, proposed.Id, _lastCheckMs, storeMs, _node.Pool.Count);
    }

    /// <summary>Fetches, checks and commits the blocks peers have beyond this node's head.</summary>
    private async Task CatchUpAsync(CancellationToken ct)
    {
        var before = _node.Store.Head.Height;
        foreach (var link in _node.Network.Links)
        {
            try
            {
                using var call = link.Client.GetBlocks(new GetBlocksRequest { FromHeight = _node.Store.Head.Height + 1, MaxBlocks = 200 },
                    deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
                await foreach (var stored in call.ResponseStream.ReadAllAsync(ct))
                {
                    if (!Apply(stored))
                    {
                        break;
                    }
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // That peer is down or slow: try the next.
            }
        }
        _validatorSeenAt = 0;
        _droppedAt = 0;
        var after = _node.Store.Head.Height;
        if (after > before)
        {
            _log.LogInformation("Caught up from height {From} to {To} by block sync", before, after);
            if (_driver is not null)
            {
                // A pause for the height synced past is over: its start would not follow the driver's height.
                Volatile.Write(ref _pausedBefore, 0);
                Execute(_driver.StartHeight(after + 1));
            }
        }
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
        var check = BlockVerifier.Verify(View(), stored.Block!, _node.Keys.Organisations, BlockLimits.Protocol, _node.Pool.Find, HeadCommitIsValid);
        if (check.Block is null)
        {
            _log.LogWarning("A peer served an invalid block {Height}: {Reason}", header.Height, check.Reason);
            return false;
        }
        Store(check.Block, certificate);
        return true;
    }

    private bool HeadCommitIsValid(CommitCertificate certificate) =>
        CommitCertificateVerifier.Verify(_node.Keys.Set, _node.Config.ChainId, certificate, _node.Keys) == CommitCertificateVerdict.Valid;

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

    private ConsensusDriver NewDriver(ValidatorSigner signer) => new(Config(), _node.Keys.Set, signer, _node.Keys, this, this, this);

    private ConsensusConfig Config()
    {
        var t = _node.Timeouts;
        var timeouts = new TimeoutConfig(t.ProposeBaseMs, t.ProposeDeltaMs, t.PrevoteBaseMs, t.PrevoteDeltaMs, t.PrecommitBaseMs, t.PrecommitDeltaMs);
        return new ConsensusConfig(_node.Config.ChainId, timeouts);
    }
}
