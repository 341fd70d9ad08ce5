using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// A whole network in one process, driven by one seed (TigerBeetle's VOPR idea): the seed decides delivery
/// order, delays, loss, duplication, partitions, crashes between effects and the Byzantine coalition's
/// choices and attacks. Time is simulated; timeouts and ticks are events in the same queue as messages.
/// </summary>
internal sealed class Simulation
{
    public const string ChainId = "ledger-sim";
    private const int RestartDelayMaxMs = 2_000;
    // A targeted crash restarts quickly, so that the node is back for the rounds where its lock matters.
    private const int QuickRestartDelayMaxMs = 50;

    private readonly PriorityQueue<Event, (long TimeMs, long Sequence)> _queue = new();
    private readonly HashSet<Hash32> _proposed = [];
    private readonly SimulatedNode?[] _honest;
    private readonly ByzantineCoalition? _coalition;
    private readonly int[] _partitionSide;
    private long _sequence;
    private ulong _heightAtGst;
    private bool _afterGst;

    public Simulation(SimulationOptions options)
    {
        Options = options;
        Random = new Random(options.Seed);
        Keys = new HmacTestKeys(options.Validators, "sim");
        ValidatorSet = ConsensusValidatorSet.Equal(options.Validators);
        Invariants = new SimulationInvariants(this);
        _partitionSide = new int[options.Validators];
        _honest = new SimulatedNode?[options.Validators];
        if (options.ByzantineCount * 3 >= options.Validators)
        {
            throw new ArgumentException("the coalition must hold less than a third of the power", nameof(options));
        }
        if (options.ByzantineCount > 0)
        {
            _coalition = new ByzantineCoalition(this, options.ByzantineCount);
        }
        for (var i = options.ByzantineCount; i < options.Validators; i++)
        {
            _honest[i] = new SimulatedNode(this, i);
        }
    }

    public SimulationOptions Options { get; }

    /// <summary>The only source of randomness of a run; nothing in the consensus code sees it.</summary>
    public Random Random { get; }

    public HmacTestKeys Keys { get; }

    public ConsensusValidatorSet ValidatorSet { get; }

    public SimulationInvariants Invariants { get; }

    public long NowMs { get; private set; }

    public IEnumerable<SimulatedNode> Honest => _honest.OfType<SimulatedNode>();

    public long Deliveries { get; private set; }

    /// <summary>Longest time from GST to the moment the last honest node decided the height after the GST height.</summary>
    public long GstToNextDecisionMs { get; private set; } = -1;

    public SimulationResult Run()
    {
        foreach (var node in Honest)
        {
            node.Start();
        }
        SchedulePartitions();
        Schedule(Options.GstMs, new Gst());
        var hardStopMs = Options.GstMs + (Options.LivenessBoundMs * (Options.Heights + 1));
        while (_queue.TryDequeue(out var next, out var at))
        {
            NowMs = at.TimeMs;
            Dispatch(next);
            if (_afterGst && Honest.All(n => n.Decided.Count >= Math.Max(Options.Heights, (int)_heightAtGst + 1)))
            {
                break;
            }
            if (_afterGst && GstToNextDecisionMs < 0 && NowMs > Options.GstMs + Options.LivenessBoundMs)
            {
                Fail($"liveness: no decision of height {_heightAtGst + 1} by every honest node within {Options.LivenessBoundMs} ms after GST ({Heights()})");
            }
            // Every height, not only the first after GST: a node stuck later (a verdict it never revisits) fails
            // here, within the bound, instead of running to the hard stop.
            if (_afterGst && Honest.FirstOrDefault(n => n.Decided.Count < Options.Heights
                && NowMs > Math.Max(Options.GstMs, n.LastDecisionMs) + Options.LivenessBoundMs) is { } stuck)
            {
                Fail($"liveness: validator {stuck.Index} decided nothing for {Options.LivenessBoundMs} ms after GST, stuck after height {stuck.Decided.Count} ({Heights()})");
            }
            if (NowMs > hardStopMs)
            {
                Fail($"liveness: stalled before {Options.Heights} heights ({Heights()})");
            }
        }
        return new SimulationResult(
            Options.Seed,
            NowMs,
            Deliveries,
            Honest.Select(n => n.Decided.Count).Min(),
            Honest.Sum(n => n.Crashes),
            Honest.Sum(n => n.Evidence),
            Honest.Sum(n => n.CertificatesOffered),
            Honest.Sum(n => n.BlocksRequested),
            Honest.Sum(n => n.TargetedCrashes),
            _coalition?.LockSplits ?? 0,
            _coalition?.LockSplitsLanded ?? 0,
            _coalition?.TamperedCopyAttacks ?? 0,
            Honest.Sum(n => n.TamperedCopies),
            GstToNextDecisionMs,
            Fingerprint());
    }

    public void Fail(string reason) => throw new SimulationFailure(Options.Seed, Options.Validators, NowMs, reason);

    public bool WasProposed(Hash32 id) => _proposed.Contains(id);

    public void RegisterBlock(Hash32 id) => _proposed.Add(id);

    public bool CrashNow() => !_afterGst && Random.NextDouble() < Options.CrashAtPersistRate;

    /// <summary>
    /// Whether an honest node crashes right after this effect, before the ones after it in the list: at random
    /// after a persist or a send, and where the coalition's attack wants it. A host that sent before persisting
    /// loses what it signed here.
    /// </summary>
    public bool CrashAfter(int node, DriverEffect effect, out bool targeted)
    {
        targeted = false;
        if (_afterGst)
        {
            return false;
        }
        if (_coalition?.CrashAfter(node, effect) == true)
        {
            targeted = true;
            return true;
        }
        return effect switch
        {
            DriverEffect.PersistWriteAhead => CrashNow(),
            DriverEffect.Broadcast => Random.NextDouble() < Options.CrashAfterSendRate,
            _ => false,
        };
    }

    public void ScheduleRestart(int node, bool quick) =>
        Schedule(NowMs + 1 + Random.Next(quick ? QuickRestartDelayMaxMs : RestartDelayMaxMs), new Restart(node));

    public void ScheduleTick(int node, int incarnation) =>
        Schedule(NowMs + 1 + Random.Next((int)Options.RebroadcastMs), new Tick(node, incarnation));

    public void ScheduleTimeout(int node, int incarnation, DriverEffect.ScheduleTimeout timeout) =>
        Schedule(NowMs + timeout.DurationMs, new Timeout(node, incarnation, new DriverInput.TimeoutElapsed(timeout.Height, timeout.Round, timeout.Step)));

    public void Broadcast(int from, ConsensusMessage message)
    {
        Invariants.OnHonestSend(from, message);
        for (var to = 0; to < Options.Validators; to++)
        {
            Send(from, to, message);
        }
    }

    public void Send(int from, int to, ConsensusMessage message)
    {
        if (from == to)
        {
            return;
        }
        var link = _afterGst ? NetworkLink.Normal : _coalition?.LinkFor(from, to, message) ?? NetworkLink.Normal;
        if (link == NetworkLink.Cut)
        {
            return;
        }
        if (link == NetworkLink.Normal && !_afterGst)
        {
            if (_partitionSide[from] != _partitionSide[to] || Random.NextDouble() < Options.LossRate)
            {
                return;
            }
            if (Random.NextDouble() < Options.DuplicateRate)
            {
                Schedule(NowMs + Delay(), new Deliver(to, from, message, false));
            }
        }
        Schedule(NowMs + Delay(), new Deliver(to, from, message, false));
    }

    /// <summary>
    /// A coalition member's own message, delivered as the adversary chooses: fast and without loss, so a split
    /// lands before honest propose timeouts. <paramref name="tamperedCopy"/>: the block travelling with a proposal
    /// is a copy that does not match its id.
    /// </summary>
    public void SendAsAdversary(int from, int to, ConsensusMessage message, bool tamperedCopy = false) =>
        Schedule(NowMs + 1 + Random.Next(5), new Deliver(to, from, message, tamperedCopy));

    /// <summary>The round an honest node is in at this height; past it once decided, before it when behind or down.</summary>
    public int RoundOf(int node, ulong height)
    {
        var honest = _honest[node]!;
        if ((ulong)honest.Decided.Count >= height)
        {
            return int.MaxValue;
        }
        return honest.State is { } state && state.Height == height ? state.Round : -1;
    }

    public void OnRoundEntered(int node, ulong height, int round) => _coalition?.OnRoundEntered(node, height, round);

    /// <summary>Block fetch from peers: answered after a network delay if the block exists (lossy before GST; the driver asks again on ticks).</summary>
    public void Fetch(int node, int incarnation, ulong height, Hash32 id)
    {
        if (!_proposed.Contains(id) || (!_afterGst && Random.NextDouble() < Options.LossRate))
        {
            return;
        }
        Schedule(NowMs + Delay() + Delay(), new BlockArrives(node, incarnation, height, id));
    }

    public void OnDecided(int node, ulong height, Hash32 value)
    {
        _coalition?.OnDecided(node, height, value);
        if (_afterGst && GstToNextDecisionMs < 0 && height == _heightAtGst + 1
            && Honest.All(n => n.Decided.Count >= (int)height))
        {
            GstToNextDecisionMs = NowMs - Options.GstMs;
        }
    }

    private int Delay() => 1 + Random.Next(_afterGst ? Options.DelayAfterGstMaxMs : Options.DelayMaxMs);

    private void Schedule(long timeMs, Event e) => _queue.Enqueue(e, (timeMs, _sequence++));

    private void SchedulePartitions()
    {
        var count = Random.Next(Options.PartitionsMax + 1);
        for (var i = 0; i < count; i++)
        {
            var startMs = Random.NextInt64(Options.GstMs);
            var sides = Enumerable.Range(0, Options.Validators).Select(_ => Random.Next(2)).ToArray();
            Schedule(startMs, new Partition(sides));
            Schedule(Math.Min(Options.GstMs, startMs + 300 + Random.Next(3_000)), new Partition(new int[Options.Validators]));
        }
    }

    private void Dispatch(Event e)
    {
        Options.Trace?.Invoke($"{NowMs,7} {Describe(e)}");
        switch (e)
        {
            case Deliver d:
                Deliveries++;
                if (_coalition is not null && _coalition.IsMember(d.To))
                {
                    _coalition.Deliver(d.To, d.Message);
                }
                else
                {
                    _honest[d.To]!.Deliver(d.Message, d.From, d.TamperedCopy);
                }
                break;
            case Timeout t when Alive(t.Node, t.Incarnation) is { } node:
                node.Timeout(t.Input);
                break;
            case Tick t when Alive(t.Node, t.Incarnation) is { } node:
                ScheduleTick(t.Node, t.Incarnation);
                node.Tick();
                break;
            case BlockArrives b when Alive(b.Node, b.Incarnation) is { } node:
                node.BlockArrived(b.Height, b.Id);
                break;
            case Restart r when _honest[r.Node] is { IsUp: false } node:
                node.Start();
                break;
            case Partition p when !_afterGst:
                p.Sides.CopyTo(_partitionSide, 0);
                break;
            case Gst:
                _afterGst = true;
                Array.Clear(_partitionSide);
                _heightAtGst = (ulong)Honest.Max(n => n.Decided.Count);
                break;
        }
    }

    private static string Describe(Event e) => e switch
    {
        Deliver { Message: SignedVote v } d => $"v{d.From}->v{d.To} {v.Type} h{v.Height} r{v.Round} by v{v.ValidatorIndex} {Short(v.Value)}",
        Deliver { Message: SignedProposal p } d => $"v{d.From}->v{d.To} Proposal h{p.Height} r{p.Round} {Short(p.Value)} vr{p.ValidRound}{(d.TamperedCopy ? " tampered copy" : "")}",
        Deliver { Message: CommitOffer o } d => $"v{d.From}->v{d.To} CommitOffer h{o.Height} r{o.Round}",
        _ => e.ToString(),
    };

    private static string Short(Hash32? id) => id is { } h ? h.ToString()[..8] : "nil";

    private SimulatedNode? Alive(int node, int incarnation) =>
        _honest[node] is { IsUp: true } n && n.Incarnation == incarnation ? n : null;

    private string Heights() => string.Join(", ", Honest.Select(n => $"v{n.Index}: {n.Decided.Count} decided, {(n.State is { } s ? $"h{s.Height} r{s.Round} {s.Step} locked {s.LockedRound} valid {s.ValidRound}" : "down")}"));

    /// <summary>Digest of everything decided and when, to check that a seed replays exactly.</summary>
    private string Fingerprint() =>
        $"{NowMs}/{Deliveries}/" + string.Join(";", Honest.Select(n => string.Join(",", n.Decided.Select(d => $"{d.Round}:{d.BlockId.ToString()[..8]}"))));

    private abstract record Event;

    private sealed record Deliver(int To, int From, ConsensusMessage Message, bool TamperedCopy) : Event;

    private sealed record Timeout(int Node, int Incarnation, DriverInput.TimeoutElapsed Input) : Event;

    private sealed record Tick(int Node, int Incarnation) : Event;

    private sealed record BlockArrives(int Node, int Incarnation, ulong Height, Hash32 Id) : Event;

    private sealed record Restart(int Node) : Event;

    private sealed record Partition(int[] Sides) : Event;

    private sealed record Gst : Event;
}
