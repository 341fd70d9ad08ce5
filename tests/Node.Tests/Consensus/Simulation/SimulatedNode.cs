using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// An honest validator's host in the simulation. Durable: the write-ahead record and the decided blocks with
/// their certificates. Volatile (lost in a crash): the driver and the block contents it holds.
/// </summary>
internal sealed class SimulatedNode : IProposalValidator, IBlockSource, ICommitHistory
{
    private readonly Simulation _simulation;
    private readonly HashSet<Hash32> _blocks = [];
    private ConsensusDriver? _driver;

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

    public void Start()
    {
        Incarnation++;
        _blocks.Clear();
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

    public void Deliver(ConsensusMessage message, int from)
    {
        if (_driver is null)
        {
            return;
        }
        if (message is SignedProposal proposal)
        {
            // The block travels with its proposal.
            _blocks.Add(proposal.Value);
        }
        Run(_driver.Handle(new DriverInput.MessageReceived(message, from)));
    }

    public void Timeout(DriverInput.TimeoutElapsed timeout) => Feed(timeout);

    public void Tick() => Feed(new DriverInput.RebroadcastTick());

    public void BlockArrived(ulong height, Hash32 id)
    {
        _blocks.Add(id);
        Feed(new DriverInput.BlockReceived(height, id));
    }

    public BlockValidity Validate(ulong height, Hash32 blockId)
    {
        if (!_blocks.Contains(blockId))
        {
            return BlockValidity.Unknown;
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
                        Crash();
                        return;
                    }
                    Record = persist.Record;
                    if (_simulation.CrashNow())
                    {
                        Crash();
                        return;
                    }
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
                    _simulation.OnDecided(Index, decide.Height);
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
        }
        if (nextHeight is { } height && _driver is not null)
        {
            Run(_driver.StartHeight(height));
        }
    }

    private void Crash()
    {
        _driver = null;
        Incarnation++;
        Crashes++;
        _simulation.ScheduleRestart(Index);
    }
}
