using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// An honest validator's host in the simulation. Durable: the write-ahead record and the decided blocks with
/// their certificates. Volatile (lost in a crash): the driver and the block contents it holds.
/// A tampered copy (a block under a good id whose bytes do not match it) is modelled as a host that checked the
/// copy it holds: it answers Invalid for that id, fetches the block by id from peers, and feeds BlockReceived
/// when the faithful copy arrives, so the driver must ask again rather than keep its first verdict.
/// </summary>
internal sealed class SimulatedNode : IProposalValidator, IBlockSource, ICommitHistory
{
    private readonly Simulation _simulation;
    private readonly HashSet<Hash32> _blocks = [];
    private readonly List<(ulong Height, Hash32 Id)> _tampered = [];
    private ConsensusDriver? _driver;
    private (ulong Height, int Round) _lastRound = (0, -1);

    public SimulatedNode(Simulation simulation, int index)
    {
        _simulation = simulation;
        Index = index;
    }

    public int Index { get; }

    /// <summary>Bumped at each crash and restart, so timers of an earlier life are ignored.</summary>
    public int Incarnation { get; private set; }

    public bool IsUp => _driver is not null;

    public RoundState? State => _driver?.State;

    public WriteAheadRecord? Record { get; private set; }

    public List<DriverEffect.Decide> Decided { get; } = [];

    public int Crashes { get; private set; }

    public long Evidence { get; private set; }

    public long CertificatesOffered { get; private set; }

    public long BlocksRequested { get; private set; }

    public int TargetedCrashes { get; private set; }

    /// <summary>Simulated time of the last decision, for the liveness bound after GST.</summary>
    public long LastDecisionMs { get; private set; }

    public int TamperedCopies { get; private set; }

    public void Start()
    {
        Incarnation++;
        _blocks.Clear();
        _tampered.Clear();
        foreach (var decision in Decided)
        {
            _blocks.Add(decision.BlockId);
        }
        // The host keeps the blocks named by the lock and the valid value beside the record.
        if (Record?.LockedValue is { } locked)
        {
            _blocks.Add(locked);
        }
        if (Record?.ValidValue is { } valid)
        {
            _blocks.Add(valid);
        }
        _driver = new ConsensusDriver(
            new ConsensusConfig(Simulation.ChainId, _simulation.Options.Timeouts),
            _simulation.ValidatorSet, _simulation.Keys.SignerFor(Index), _simulation.Keys, this, this, this);
        _simulation.ScheduleTick(Index, Incarnation);
        Run(_driver.Resume(Record, (ulong)Decided.Count + 1));
    }

    public void Deliver(ConsensusMessage message, int from, bool tamperedCopy)
    {
        if (_driver is null)
        {
            return;
        }
        if (message is SignedProposal proposal && !_blocks.Contains(proposal.Value))
        {
            if (!tamperedCopy)
            {
                // The block travels with its proposal.
                _blocks.Add(proposal.Value);
            }
            else if (!_tampered.Contains((proposal.Height, proposal.Value)))
            {
                TamperedCopies++;
                _tampered.Add((proposal.Height, proposal.Value));
                _simulation.Fetch(Index, Incarnation, proposal.Height, proposal.Value);
            }
        }
        Run(_driver.Handle(new DriverInput.MessageReceived(message, from)));
    }

    public void Timeout(DriverInput.TimeoutElapsed timeout) => Feed(timeout);

    public void Tick()
    {
        // The fetch of a faithful copy is the host's own, retried like any fetch on a lossy link.
        foreach (var (height, id) in _tampered)
        {
            _simulation.Fetch(Index, Incarnation, height, id);
        }
        Feed(new DriverInput.RebroadcastTick());
    }

    public void BlockArrived(ulong height, Hash32 id)
    {
        _blocks.Add(id);
        _tampered.Remove((height, id));
        Feed(new DriverInput.BlockReceived(height, id));
    }

    public BlockValidity Validate(ulong height, Hash32 blockId)
    {
        if (!_blocks.Contains(blockId))
        {
            // The copy held does not match its id: the block it claims to be is not here, and this copy is bad.
            return _tampered.Contains((height, blockId)) ? BlockValidity.Invalid : BlockValidity.Unknown;
        }
        return SyntheticBlocks.IsValid(blockId, _simulation.Options.InvalidBlockFraction) ? BlockValidity.Valid : BlockValidity.Invalid;
    }

    // Simulated clocks agree: every block is timely here; the host's rule is tested against its real clock.
    public bool IsTimely(ulong height, Hash32 blockId) => true;

    public Hash32 ProposeValue(ulong height, int round)
    {
        var id = SyntheticBlocks.Make(height, round, Index);
        _blocks.Add(id);
        _simulation.RegisterBlock(id);
        return id;
    }

    public CommitCertificate? FindCertificate(ulong height) =>
        height >= 1 && height <= (ulong)Decided.Count ? Decided[(int)height - 1].Certificate : null;

    private void Feed(DriverInput input)
    {
        if (_driver is not null)
        {
            Run(_driver.Handle(input));
        }
    }

    private void Run(IReadOnlyList<DriverEffect> effects)
    {
        ulong? nextHeight = null;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case DriverEffect.PersistWriteAhead persist:
                    if (_simulation.CrashNow())
                    {
                        Crash(quick: false);
                        return;
                    }
                    Record = persist.Record;
                    break;
                case DriverEffect.Broadcast broadcast:
                    _simulation.Broadcast(Index, broadcast.Message);
                    break;
                case DriverEffect.SendTo send:
                    CertificatesOffered++;
                    _simulation.Send(Index, send.ValidatorIndex, send.Message);
                    break;
                case DriverEffect.ScheduleTimeout timeout:
                    _simulation.ScheduleTimeout(Index, Incarnation, timeout);
                    break;
                case DriverEffect.Decide decide:
                    if (decide.Height != (ulong)Decided.Count + 1)
                    {
                        _simulation.Fail($"validator {Index} decided height {decide.Height} after {Decided.Count} heights");
                    }
                    _simulation.Invariants.OnDecide(Index, decide);
                    Decided.Add(decide);
                    LastDecisionMs = _simulation.NowMs;
                    _simulation.OnDecided(Index, decide.Height, decide.BlockId);
                    nextHeight = decide.Height + 1;
                    break;
                case DriverEffect.RequestBlock request:
                    BlocksRequested++;
                    _simulation.Fetch(Index, Incarnation, request.Height, request.BlockId);
                    break;
                case DriverEffect.ReportEvidence:
                    Evidence++;
                    break;
            }
            // Between effects: what came before this one happened, nothing after it will.
            if (_simulation.CrashAfter(Index, effect, out var targeted))
            {
                TargetedCrashes += targeted ? 1 : 0;
                Crash(quick: targeted);
                return;
            }
        }
        if (nextHeight is { } height && _driver is not null)
        {
            Run(_driver.StartHeight(height));
            return;
        }
        if (_driver?.State is { } state && (state.Height, state.Round) != _lastRound)
        {
            _lastRound = (state.Height, state.Round);
            _simulation.OnRoundEntered(Index, state.Height, state.Round);
        }
    }

    private void Crash(bool quick)
    {
        _driver = null;
        Incarnation++;
        Crashes++;
        _lastRound = (0, -1);
        _simulation.ScheduleRestart(Index, quick);
    }
}
