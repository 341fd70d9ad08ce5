using Ledger.Client;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.StateTree;
using Ledger.Node.Hosting;
using Ledger.Node.Mempool;
using Ledger.Node.Storage;
using Ledger.Node.Telemetry;

using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// One validator of the host-level simulation: the node's real <see cref="ConsensusHost"/> over a real LiteDB file, on
/// <see cref="SimulatedHostEdges"/>. A crash drops the host and closes the database; a restart opens the file again and
/// resumes from what it holds, as a restarted process would. The mempool is lost in a crash, as in a process.
/// </summary>
internal sealed class HostedValidator : IDisposable
{
    private readonly HostSimulation _simulation;
    private readonly string _folder;
    private NodeDatabase? _database;

    public HostedValidator(HostSimulation simulation, int index, bool byzantine, long clockSkewMs, string folder)
    {
        _simulation = simulation;
        Index = index;
        IsByzantine = byzantine;
        ClockSkewMs = clockSkewMs;
        _folder = folder;
    }

    public int Index { get; }

    public bool IsByzantine { get; }

    public long ClockSkewMs { get; }

    /// <summary>Bumped at each start, so timers and answers meant for an earlier life are dropped.</summary>
    public int Incarnation { get; private set; }

    public ConsensusHost? Host { get; private set; }

    public NodeServices? Services { get; private set; }

    public bool IsUp => Host is not null;

    public int Crashes { get; private set; }

    /// <summary>Heights this node's store held when last checked by the simulation.</summary>
    public ulong CheckedHeight { get; set; }

    public long LastCommitAtMs { get; set; }

    /// <summary>A crash armed at a vote: it happens at this node's next edge call.</summary>
    public bool CrashArmed { get; set; }

    public void Start()
    {
        Incarnation++;
        var genesis = _simulation.Genesis;
        _database = new NodeDatabase(_folder);
        var store = new BlockStore(_database, _simulation.Identity);
        if (!store.IsInitialised)
        {
            store.InitialiseGenesis(_simulation.GenesisEntries, LedgerStateMachine.Genesis(_simulation.GenesisEntries, new InMemoryTreePageStore()));
        }
        var nodeConfig = new NodeConfig($"sim-{Index}", "http://127.0.0.1:1", _folder, "genesis.json", null, [], Consensus: _simulation.Options.Timeouts);
        Services = new NodeServices(nodeConfig, _simulation.Config, store, new ConsensusJournal(_database), new TransactionPool(10_000, 64L * 1024 * 1024),
            new CommitFeed(), _simulation.NoPeers, new NodeRosters(_simulation.Config, store.State), new ValidatorSigner(Index, genesis.ValidatorKeys[Index]),
            new Ledger.Node.Chain.BlockLimits(), _simulation.Options.Timeouts);
        var host = new ConsensusHost(Services, new NodeMetrics(_simulation.Meters, Services), NullLogger.Instance,
            new SimulatedHostEdges(_simulation, this, Incarnation));
        Host = host;
        host.OpenWriteAhead();
        Step(host.StartConsensus);
        _simulation.ScheduleTick(this, Incarnation);
    }

    /// <summary>Hands an event to this incarnation's loop, if it is still up, and runs the loop until it is idle.</summary>
    public void Deliver(int incarnation, HostEvent e)
    {
        if (Host is not { } host || incarnation != Incarnation)
        {
            return;
        }
        host.Post(e);
        Step(() => host.HandlePosted(CancellationToken.None));
    }

    /// <summary>A signed transaction reaches this node's mempool, as gossip would bring it.</summary>
    public void Admit(DecodedTransaction transaction)
    {
        if (Host is not { } host || Services is null)
        {
            return;
        }
        Services.Pool.Add(transaction);
        host.TransactionArrived();
        Step(() => host.HandlePosted(CancellationToken.None));
    }

    private void Step(Action action)
    {
        try
        {
            action();
        }
        catch (SimulatedCrash)
        {
            // The crash armed at a vote: the rest of this step's effects never happen.
        }
        if (CrashArmed)
        {
            Crash();
            _simulation.ScheduleRestart(this);
        }
        else
        {
            _simulation.AfterStep(this);
        }
    }

    public void Crash()
    {
        CrashArmed = false;
        Crashes++;
        Host = null;
        Services = null;
        _database?.Dispose();
        _database = null;
    }

    public void Dispose() => _database?.Dispose();
}

/// <summary>Thrown by a node's edges at the crash armed at a vote; a cancellation, so the host's net lets it through.</summary>
internal sealed class SimulatedCrash : OperationCanceledException;
