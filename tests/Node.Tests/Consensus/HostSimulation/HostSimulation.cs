using System.Diagnostics.Metrics;
using Google.Protobuf;
using Ledger.Client;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Consensus;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Ledger.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// A network of real consensus hosts (<see cref="ConsensusHost"/>: its block checks, quotas, block sync, evidence, the
/// write-ahead gate, LiteDB storage and the journal's encoding) on one seeded scheduler. Messages travel as bytes through
/// a transport that, before GST, loses, duplicates, delays and partitions them; honest validators crash at their votes
/// and restart from their files; the Byzantine ones (<see cref="HostAdversary"/>) attack by the seed. After every step
/// the simulation checks agreement, certificates, block times, that no honest validator sends two different messages
/// for one (height, round, type) across restarts, the host's memory bounds, and liveness after GST.
/// </summary>
internal sealed class HostSimulation : IDisposable
{
    private readonly PriorityQueue<Action, (long At, long Seq)> _queue = new();
    private long _sequence;
    private readonly string _root;
    private readonly ServiceProvider _services;
    private readonly Dictionary<ulong, (Hash32 Id, long TimeMs)> _decided = [];
    private readonly Dictionary<(int Node, ulong Height, int Round, int Kind), Hash32?> _sent = [];
    private readonly HashSet<(int Node, int Incarnation)> _syncing = [];
    private readonly List<(long From, long To, HashSet<int> Side)> _partitions = [];
    private readonly ValidatorSigner[] _signers;
    private ulong _nonce;
    private int _rosterChanges;
    private int _changesProposed;
    private int _transactions;
    private int _evidence;
    private int _syncedBatches;
    private int _fetched;

    public HostSimulation(HostSimulationOptions options)
    {
        Options = options;
        Random = new Random(options.Seed);
        Genesis = SimulationGenesis.For(options.Validators);
        var (config, organisations) = GenesisLoader.Load(Genesis.Document);
        Config = config;
        GenesisEntries = GenesisState.Entries(config, organisations);
        Identity = new ChainIdentity(config.ChainId, LedgerStateMachine.Genesis(GenesisEntries, new InMemoryTreePageStore()).Root);
        Keys = new TrustedValidators(config.ChainId, config.Validators);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Meters = _services.GetRequiredService<IMeterFactory>();
        NoPeers = new PeerNetwork(-1, [], null, null, NullLogger.Instance);
        Adversary = new HostAdversary(this);
        _signers = Genesis.ValidatorKeys.Select((k, i) => new ValidatorSigner(i, k)).ToArray();
        // tmpfs where there is one: the files are real LiteDB files, and their fsyncs cost nothing there.
        var temp = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _root = Path.Combine(temp, $"ledger-host-sim-{Environment.ProcessId}-{options.Seed}-{Guid.NewGuid():N}");
        Nodes = Enumerable.Range(0, options.Validators)
            .Select(i => new HostedValidator(this, i, i < options.Byzantine, Random.NextInt64(-options.ClockSkewMaxMs, options.ClockSkewMaxMs + 1),
                Path.Combine(_root, $"node-{i}")))
            .ToArray();
        for (var i = Random.Next(3); i > 0; i--)
        {
            var from = Random.NextInt64(options.GstMs);
            var side = Enumerable.Range(0, options.Validators).Where(_ => Random.Next(2) == 0).ToHashSet();
            _partitions.Add((from, Math.Min(options.GstMs, from + Random.NextInt64(500, 4_000)), side));
        }
    }

    public HostSimulationOptions Options { get; }

    public Random Random { get; }

    public SimulationGenesis Genesis { get; }

    public NetworkConfig Config { get; }

    public IReadOnlyList<KeyValuePair<string, byte[]?>> GenesisEntries { get; }

    public ChainIdentity Identity { get; }

    public TrustedValidators Keys { get; }

    public IMeterFactory Meters { get; }

    /// <summary>The host's peer links are the simulation's; this empty network only satisfies <see cref="NodeServices"/>.</summary>
    public PeerNetwork NoPeers { get; }

    public HostAdversary Adversary { get; }

    public IReadOnlyList<HostedValidator> Nodes { get; }

    /// <summary>Simulated time since the start, the scheduler's.</summary>
    public long NowMs { get; private set; }

    /// <summary>The true wall clock, Unix ms: the network starts a second after its genesis time.</summary>
    public long ClockMs => Config.GenesisTimeMs + 1_000 + NowMs;

    public ValidatorSigner SignerOf(int index) => _signers[index];

    public HostSimulationResult Run()
    {
        foreach (var node in Nodes)
        {
            node.Start();
        }
        Schedule(Options.TransactionIntervalMs, FeedTransaction);
        if (Options.ValidatorChangeEveryMs > 0)
        {
            Schedule(Random.NextInt64(Options.ValidatorChangeEveryMs / 2, Options.ValidatorChangeEveryMs), ProposeValidatorChange);
        }
        while (!Done())
        {
            if (!_queue.TryDequeue(out var action, out var at))
            {
                throw Fail("nothing left to happen");
            }
            if (at.At > Options.GiveUpMs)
            {
                throw Fail($"the honest nodes did not all reach height {Options.Heights} in {Options.GiveUpMs} ms of simulated time");
            }
            NowMs = at.At;
            action();
            CheckLiveness();
        }
        return new HostSimulationResult(Options.Seed, Honest.Min(n => n.CheckedHeight), NowMs, Nodes.Sum(n => n.Crashes), _transactions, _evidence,
            _syncedBatches, _fetched, new Dictionary<HostAttack, int>(Adversary.Fired), Adversary.SyncStalls, Adversary.TamperedServed,
            Adversary.Splits.Count, Adversary.Splits.Count(s => s.Landed), _rosterChanges);
    }

    private IEnumerable<HostedValidator> Honest => Nodes.Where(n => !n.IsByzantine);

    private bool Done() => Honest.All(n => n.CheckedHeight >= (ulong)Options.Heights);

    public void Schedule(long delayMs, Action action) => _queue.Enqueue(action, (NowMs + Math.Max(0, delayMs), _sequence++));

    public void ScheduleTick(HostedValidator node, int incarnation) =>
        Schedule(Options.Timeouts.RebroadcastMs, () =>
        {
            if (node.Incarnation == incarnation && node.IsUp)
            {
                node.Deliver(incarnation, new HostEvent.Tick());
                ScheduleTick(node, incarnation);
            }
        });

    public void ScheduleRestart(HostedValidator node) => Schedule(Random.NextInt64(50, 2_000), node.Start);

    /// <summary>A message a node's host sent: rewritten if the node is Byzantine, checked and perhaps a crash point if honest, then carried.</summary>
    public void Outbound(HostedValidator node, PeerEnvelope envelope, int? to)
    {
        var targets = to is { } one ? [one] : Nodes.Select(n => n.Index).Where(i => i != node.Index).ToArray();
        if (node.IsByzantine)
        {
            foreach (var (target, rewritten) in Adversary.Rewrite(node, envelope, targets))
            {
                Carry(node.Index, target, rewritten);
            }
            return;
        }
        var message = ConsensusWire.FromWire(envelope);
        var crash = message is SignedVote && NowMs < Options.GstMs && Random.NextDouble() < Options.CrashAtVote;
        if (crash && Random.Next(2) == 0)
        {
            // Crashed after its write-ahead record, before the vote left: the restart must send the same vote or none.
            node.CrashArmed = true;
            throw new SimulatedCrash();
        }
        RecordOwn(node, message);
        foreach (var target in targets)
        {
            if (!Adversary.Drops(node.Index, target, message))
            {
                Carry(node.Index, target, envelope);
            }
        }
        node.CrashArmed = crash || Adversary.CrashesAfter(node, message);
    }

    private void RecordOwn(HostedValidator node, ConsensusMessage? message)
    {
        var (key, value) = message switch
        {
            SignedVote v when v.ValidatorIndex == node.Index => ((node.Index, v.Height, v.Round, (int)v.Type), v.Value),
            SignedProposal p when p.ProposerIndex == node.Index => ((node.Index, p.Height, p.Round, 0), (Hash32?)p.Value),
            _ => ((-1, 0UL, 0, 0), null),
        };
        if (key.Item1 < 0)
        {
            return;
        }
        if (_sent.TryGetValue(key, out var earlier) && earlier != value)
        {
            throw Fail($"honest validator {node.Index} sent two different messages for height {key.Height}, round {key.Round}, kind {key.Item4}: {earlier} and {value}");
        }
        _sent[key] = value;
    }

    /// <summary>The transport: bytes, so every message is encoded and parsed as on the wire; faults before GST.</summary>
    private void Carry(int from, int to, PeerEnvelope envelope)
    {
        if (from == to)
        {
            return;
        }
        var bytes = envelope.ToByteArray();
        var copies = 1;
        long delay;
        if (NowMs < Options.GstMs)
        {
            if (Partitioned(from, to) || Random.NextDouble() < Options.LossBeforeGst)
            {
                return;
            }
            copies = Random.NextDouble() < Options.DuplicateBeforeGst ? 2 : 1;
            delay = Random.NextInt64(1, Options.DelayMaxBeforeGstMs + 1);
        }
        else
        {
            delay = Random.NextInt64(1, Options.DelayMaxAfterGstMs + 1);
        }
        var target = Nodes[to];
        for (var i = 0; i < copies; i++)
        {
            Schedule(delay + i * Random.NextInt64(0, 50), () => target.Deliver(target.Incarnation, new HostEvent.Inbound(PeerEnvelope.Parser.ParseFrom(bytes), from)));
        }
    }

    private bool Partitioned(int from, int to) =>
        NowMs < Options.GstMs && _partitions.Any(p => NowMs >= p.From && NowMs < p.To && p.Side.Contains(from) != p.Side.Contains(to));

    /// <summary>Whether a node can answer another's fetch or block sync now: not across a partition, not from or to a decider cut off by a lock split.</summary>
    private bool Reachable(int from, int to) => !Partitioned(from, to) && !Adversary.CutOff(from) && !Adversary.CutOff(to);

    private long RoundTripMs() => NowMs < Options.GstMs ? Random.NextInt64(2, 2 * Options.DelayMaxBeforeGstMs) : Random.NextInt64(2, 2 * Options.DelayMaxAfterGstMs);

    /// <summary>
    /// The peers a node asks, in turn from a random one (a peer that stalls is not asked first every time), as
    /// <see cref="PeerNetwork"/> and <see cref="BlockSync"/> do: those up and reachable when their turn comes.
    /// </summary>
    private IEnumerable<HostedValidator> PeersInTurn(HostedValidator node)
    {
        var first = Random.Next(Nodes.Count);
        for (var i = 0; i < Nodes.Count; i++)
        {
            var peer = Nodes[(first + i) % Nodes.Count];
            if (peer != node && peer.IsUp && Reachable(node.Index, peer.Index))
            {
                yield return peer;
            }
        }
    }

    /// <summary>Asks peers in turn for a proposed block, as <see cref="PeerNetwork.FetchProposedBlockAsync"/> does: the first faithful copy wins; a stalling peer costs its deadline.</summary>
    public void Fetch(HostedValidator node, int incarnation, ulong height, Hash32 blockId)
    {
        long delay = 0;
        foreach (var peer in PeersInTurn(node))
        {
            var block = peer.IsByzantine ? Adversary.ServeBlock(peer, blockId) : peer.Host!.FindProposedBlock(blockId);
            delay += block is null && peer.IsByzantine ? 5_000 : RoundTripMs();
            if (block is not null && BlockCopy.Mismatch(Config.ChainId, block, blockId) is null)
            {
                var copy = Block.Parser.ParseFrom(block.ToByteArray());
                var from = peer.Index;
                _fetched++;
                Schedule(delay, () => node.Deliver(incarnation, new HostEvent.BlockFetched(height, blockId, BlockCopy.Canonical(copy), from)));
                return;
            }
        }
    }

    /// <summary>Block sync, one at a time per node: peers in turn from a random one, each answer checked as <see cref="BlockSync"/> checks it.</summary>
    public void Sync(HostedValidator node, int incarnation)
    {
        if (!_syncing.Add((node.Index, incarnation)))
        {
            return;
        }
        var head = node.Services!.Store.Head.Height;
        long delay = 0;
        foreach (var peer in PeersInTurn(node))
        {
            if (peer.IsByzantine)
            {
                var served = Adversary.SyncAnswer(peer, head + 1);
                delay += served is null ? BlockSync.FirstBlockDeadlineMs : RoundTripMs();
                if (served is not null && BlockSync.Mismatch(Config.ChainId, node.Services.Rosters.CertificateIsValid, StoredBlock.Parser.ParseFrom(served.ToByteArray()), head + 1) is null)
                {
                    throw Fail($"block sync took a tampered or forged block {head + 1} from validator {peer.Index}");
                }
                continue;
            }
            var batch = new List<StoredBlock>();
            for (var h = head + 1; h <= peer.Services!.Store.Head.Height && batch.Count < BlockSync.BatchBlocksMax; h++)
            {
                var stored = new StoredBlock { Block = peer.Services.Store.GetBlock(h), Certificate = peer.Services.Store.GetCommit(h) };
                var wire = StoredBlock.Parser.ParseFrom(stored.ToByteArray());
                if (BlockSync.Mismatch(Config.ChainId, peer.Services.Rosters.CertificateIsValid, wire, h) is not null)
                {
                    throw Fail($"honest validator {peer.Index} holds block {h} that does not check out");
                }
                batch.Add(new StoredBlock { Block = BlockCopy.Canonical(wire.Block), Certificate = BlockCopy.Canonical(wire.Certificate) });
            }
            delay += RoundTripMs();
            if (batch.Count > 0)
            {
                _syncedBatches++;
                Schedule(delay, () =>
                {
                    _syncing.Remove((node.Index, incarnation));
                    node.Deliver(incarnation, new HostEvent.SyncedBlocks(batch, new TaskCompletionSource<bool>()));
                });
                return;
            }
        }
        Schedule(delay, () => _syncing.Remove((node.Index, incarnation)));
    }


    /// <summary>
    /// A real signed transaction (a chamber suspends a certificate: refused at execution, still carried) reaches each pool
    /// with a chance of two in three, as gossip that is not yet complete: a node checks a transaction it has not seen
    /// from the block's own bytes, not from its pool.
    /// </summary>
    private void FeedTransaction()
    {
        var chamber = Genesis.MemberKeys[CorridorGenesis.CnChamber];
        var body = new TxBody
        {
            ChainId = Config.ChainId,
            SignerOrg = CorridorGenesis.CnChamber,
            SignerKey = chamber.Public,
            Nonce = ++_nonce,
            SuspendCertificate = new SuspendCertificate { CertificateId = $"{CorridorGenesis.CnChamber}/SIM-{_nonce}", Reason = "inquiry" },
        };
        var transaction = TransactionDecoder.Decode(TransactionSigner.Sign(Config.ChainId, body, chamber), Config.ChainId, Config.Limits).Transaction
            ?? throw Fail("the simulation's transaction does not decode");
        foreach (var node in Nodes.Where(_ => Random.Next(3) > 0))
        {
            node.Admit(transaction);
        }
        Schedule(Random.NextInt64(1, 2 * Options.TransactionIntervalMs), FeedTransaction);
    }

    /// <summary>
    /// A validator set change in flight: governance moves the last (honest) validator's power between 1 and 2, proposed by one
    /// governing organisation and approved by two more, each a real signed transaction that reaches each pool with a chance
    /// of two in three. Approvals are sent again a few times, since one may be carried before the proposal.
    /// </summary>
    private void ProposeValidatorChange()
    {
        var target = Genesis.Document.Validators[^1].Organisation;
        var power = ++_changesProposed % 2 == 1 ? 2 : 1;
        var proposal = Governance(CorridorGenesis.KzChamber, b => b.ProposeMembershipChange = new ProposeMembershipChange
        {
            Change = new MembershipChange { SetValidatorPower = new ValidatorPower { OrganisationId = target, Power = power } },
            Reason = "simulated",
        });
        var id = Convert.ToHexStringLower(proposal.Id.Span);
        for (var i = 1; i <= 4; i++)
        {
            foreach (var approver in new[] { CorridorGenesis.CnCustoms, CorridorGenesis.KzCustoms })
            {
                Schedule(i * Random.NextInt64(200, 800), () => Governance(approver, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = id }));
            }
        }
        Schedule(Options.ValidatorChangeEveryMs, ProposeValidatorChange);
    }

    private DecodedTransaction Governance(string organisation, Action<TxBody> kind)
    {
        var key = Genesis.MemberKeys[organisation];
        var body = new TxBody { ChainId = Config.ChainId, SignerOrg = organisation, SignerKey = key.Public, Nonce = ++_nonce };
        kind(body);
        var transaction = TransactionDecoder.Decode(TransactionSigner.Sign(Config.ChainId, body, key), Config.ChainId, Config.Limits).Transaction
            ?? throw Fail("the simulation's governance transaction does not decode");
        foreach (var node in Nodes.Where(_ => Random.Next(3) > 0))
        {
            node.Admit(transaction);
        }
        return transaction;
    }

    /// <summary>The checks after every step of <paramref name="node"/>: its new heights, their certificates and times, and its footprint.</summary>
    public void AfterStep(HostedValidator node)
    {
        if (node.IsByzantine || node.Services is not { } services || node.Host is not { } host)
        {
            return;
        }
        var store = services.Store;
        for (var h = node.CheckedHeight + 1; h <= store.Head.Height; h++)
        {
            var block = store.GetBlock(h) ?? throw Fail($"validator {node.Index} lost block {h}");
            var id = BlockHashing.HeaderHash(block.Header);
            if (_decided.TryGetValue(h, out var decided))
            {
                if (decided.Id != id)
                {
                    throw Fail($"agreement: validator {node.Index} committed {id} at height {h}, another honest validator {decided.Id}");
                }
            }
            else
            {
                CheckFirstCommit(node, h, block, id, store.GetCommit(h));
                _decided[h] = (id, block.Header.TimeMs);
            }
            if (Adversary.Splits.FirstOrDefault(s => s.Height == h && s.Decider == node.Index) is { } split && split.Value == id)
            {
                split.Landed = true;
            }
            node.LastCommitAtMs = NowMs;
        }
        node.CheckedHeight = store.Head.Height;
        CheckFootprint(node, host.Footprint);
    }

    private void CheckFirstCommit(HostedValidator node, ulong height, Block block, Hash32 id, CommitCertificate? certificate)
    {
        // The roster of that height as the committed state schedules it (governance changes it in flight).
        var roster = new ValidatorSets(Config.ChainId, LedgerState.ReadValidatorSchedule(node.Services!.Store.State, Config)).At(height);
        if (certificate is null || roster.Verify(certificate) != CommitCertificateVerdict.Valid
            || certificate.Height != height || !certificate.BlockHash.Span.SequenceEqual(id.Span))
        {
            throw Fail($"validator {node.Index} committed height {height} without a valid certificate for block {id}");
        }
        if (block.Header.ValidatorsHash.Length != Hash32.Size || new Hash32(block.Header.ValidatorsHash.Span) != roster.Hash)
        {
            throw Fail($"height {height} names another validator set than the one its state schedules");
        }
        // Counted here, not by the code under test: more than two thirds of the power, each validator once.
        var power = certificate.Signatures.Select(s => (int)s.ValidatorIndex).Distinct().Sum(i => roster.Set.PowerOf(i));
        if (power * 3 <= roster.Set.TotalPower * 2)
        {
            throw Fail($"the certificate of height {height} holds {power} of {roster.Set.TotalPower} power");
        }
        if (roster.FromHeight == height && height > 1)
        {
            _rosterChanges++;
        }
        var previous = height == 1 ? Config.GenesisTimeMs : _decided[height - 1].TimeMs;
        if (block.Header.TimeMs <= previous || block.Header.TimeMs > ClockMs + Options.ClockSkewMaxMs + Options.Timeouts.BlockTimeAheadMaxMs)
        {
            throw Fail($"height {height} has time {block.Header.TimeMs}: not after {previous}, or ahead of every honest clock (now {ClockMs})");
        }
        _transactions += block.Transactions.Count;
        _evidence += block.Evidence.Count;
    }

    private void CheckFootprint(HostedValidator node, HostFootprint footprint)
    {
        var blocksMax = (Options.Validators + 1) * ProposedBlocks.BlocksPerSourceMax + 2;
        if (footprint.Blocks > blocksMax || footprint.Verdicts > blocksMax + 1 || footprint.Evidence > EvidencePool.ProofsMax
            || footprint.NextHeightBuffered > new ConsensusConfig(Config.ChainId, TimeoutConfig.Default).NextHeightBufferMax)
        {
            throw Fail($"validator {node.Index} holds more than its bounds allow: {footprint}");
        }
    }

    /// <summary>After GST every honest node commits within the bound of GST or of its last commit, until it reaches the target.</summary>
    private void CheckLiveness()
    {
        if (NowMs < Options.GstMs)
        {
            return;
        }
        foreach (var node in Honest)
        {
            if (node.CheckedHeight < (ulong)Options.Heights && NowMs - Math.Max(Options.GstMs, node.LastCommitAtMs) > Options.LivenessBoundMs)
            {
                throw Fail($"liveness: honest validator {node.Index} committed nothing for {Options.LivenessBoundMs} ms after GST (head {node.CheckedHeight})");
            }
        }
    }

    private HostSimulationFailure Fail(string what) =>
        new($"seed {Options.Seed} ({Options.Validators} validators) at {NowMs} ms: host-level, {Options.Byzantine} Byzantine: {what}");

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
        NoPeers.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
