using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Node.Hosting;
using Ledger.Node.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// The Byzantine validators of the host-level simulation. Each runs the honest node's code (so it builds real, valid blocks
/// and signs real votes with its genuine key), and this rewrites what it sends, per height, by the seed: tampered copies,
/// equivocation, times from the future, floods, far-future votes, withheld precommits, silence. Asked for a block or for
/// block sync, it stalls or serves tampered copies. It also claims another validator as the sender of every envelope.
/// </summary>
internal sealed class HostAdversary
{
    private static readonly HostAttack[] Attacks = Enum.GetValues<HostAttack>().Where(a => a != HostAttack.LockSplit).ToArray();
    private readonly HostSimulation _simulation;
    private readonly Dictionary<ulong, HostAttack> _attackAt = [];
    private readonly List<LockSplit> _splits = [];
    private readonly Dictionary<ulong, IReadOnlySet<int>> _victims = [];

    /// <summary>How long before GST a lock split may start: round 0 must end, and the split be tried, before the network heals.</summary>
    private const long SplitBeforeGstMs = 9_000;

    public IReadOnlyList<LockSplit> Splits => _splits;

    public HostAdversary(HostSimulation simulation) => _simulation = simulation;

    /// <summary>How many times each attack changed or added a message.</summary>
    public Dictionary<HostAttack, int> Fired { get; } = [];

    public int SyncStalls { get; private set; }

    public int TamperedServed { get; private set; }

    public HostAttack AttackAt(ulong height)
    {
        if (!_attackAt.TryGetValue(height, out var attack))
        {
            _attackAt[height] = attack = TrySplit(height) ? HostAttack.LockSplit : Attacks[_simulation.Random.Next(Attacks.Length)];
        }
        return attack;
    }

    private bool TrySplit(ulong height)
    {
        var options = _simulation.Options;
        if (_simulation.Keys.Genesis.Set.ProposerOf(height, 0) >= options.Byzantine || _simulation.NowMs > options.GstMs - SplitBeforeGstMs
            || _splits.Count > 0 || _simulation.Random.NextDouble() >= 0.6)
        {
            return false;
        }
        var honest = _simulation.Nodes.Where(n => !n.IsByzantine).Select(n => n.Index).OrderBy(_ => _simulation.Random.Next()).ToArray();
        var lockers = honest.Take(options.Quorum - options.Byzantine).ToHashSet();
        // The decider must be at this height already, or it could not decide before it is cut off.
        var ready = lockers.Where(i => _simulation.Nodes[i].CheckedHeight + 1 == height).ToArray();
        if (ready.Length == 0)
        {
            return false;
        }
        _splits.Add(new LockSplit(height, lockers, ready[_simulation.Random.Next(ready.Length)]));
        return true;
    }

    /// <summary>
    /// The honest validators that get tampered copies at a height: the same at every retransmission, and at most n − q of
    /// them, so that the others with the coalition's prevotes still make a polka and lock the block.
    /// </summary>
    private IReadOnlySet<int> VictimsAt(ulong height)
    {
        if (!_victims.TryGetValue(height, out var victims))
        {
            var options = _simulation.Options;
            var honest = _simulation.Nodes.Where(n => !n.IsByzantine).Select(n => n.Index).OrderBy(_ => _simulation.Random.Next()).ToArray();
            _victims[height] = victims = honest.Take(_simulation.Random.Next(1, options.Validators - options.Quorum + 1)).ToHashSet();
        }
        return victims;
    }

    private LockSplit? SplitAt(ulong height) => _splits.FirstOrDefault(s => s.Height == height);

    /// <summary>
    /// Before GST the network is the adversary's: during a lock split, round 0's votes of the lockers reach no other honest
    /// validator, and the decider hears and says nothing but round 0's votes among the lockers. Honest proposals of later
    /// rounds are noted, for the coalition to back.
    /// </summary>
    public bool Drops(int from, int to, ConsensusMessage? message)
    {
        if (_simulation.NowMs >= _simulation.Options.GstMs || _splits.Count == 0)
        {
            return false;
        }
        var split = _splits[0];
        if (message is SignedProposal { Round: > 0 } p && p.Height == split.Height && p.Value != split.Value)
        {
            split.Proposed.TryAdd(p.Round, p.Value);
        }
        var roundZero = message is SignedVote { Round: 0 } v && v.Height == split.Height ? v.Type : VoteType.Unspecified;
        var toCoalition = _simulation.Nodes[to].IsByzantine;
        if (from == split.Decider || to == split.Decider)
        {
            // The decider hears and says round 0's votes among the lockers (and the coalition's), nothing else.
            return !(roundZero != VoteType.Unspecified && (split.Lockers.Contains(from) || _simulation.Nodes[from].IsByzantine)
                && (split.Lockers.Contains(to) || (toCoalition && roundZero == VoteType.Prevote)));
        }
        // The lockers' precommits for v never reach the coalition: a member that decided v would move on to the next
        // height and stop backing other values here.
        return roundZero == VoteType.Precommit && split.Lockers.Contains(from) && toCoalition;
    }

    /// <summary>Before GST a peer cut off by a lock split answers no fetch and no block sync, as it sends nothing else.</summary>
    public bool CutOff(int peer) =>
        _simulation.NowMs < _simulation.Options.GstMs && _splits.Count > 0 && _splits[0].Decider == peer;

    /// <summary>A locker's precommit for v during a split: half the time it crashes right after it, to restart from its record.</summary>
    public bool CrashesAfter(HostedValidator node, ConsensusMessage? message) =>
        message is SignedVote { Type: VoteType.Precommit, Round: 0, Value: not null } v && SplitAt(v.Height) is { } split
        && _simulation.NowMs < _simulation.Options.GstMs && split.Lockers.Contains(node.Index) && node.Index != split.Decider
        && !split.Crashed.Contains(node.Index) && _simulation.Random.Next(2) == 0 && split.Crashed.Add(node.Index);

    /// <summary>What the Byzantine <paramref name="node"/> sends instead of <paramref name="envelope"/> to <paramref name="targets"/>.</summary>
    public IEnumerable<(int To, PeerEnvelope Envelope)> Rewrite(HostedValidator node, PeerEnvelope envelope, IReadOnlyList<int> targets)
    {
        var message = ConsensusWire.FromWire(envelope);
        var attack = message is null ? HostAttack.None : AttackAt(message.Height);
        var signer = _simulation.SignerOf(node.Index);
        var sent = new List<(int, PeerEnvelope)>();
        void Send(int to, PeerEnvelope e)
        {
            var claimed = e.Clone();
            claimed.FromValidator = (uint)_simulation.Random.Next(_simulation.Options.Validators);
            sent.Add((to, claimed));
        }
        void Fire() => Fired[attack] = Fired.GetValueOrDefault(attack) + 1;

        switch (attack, message)
        {
            case (HostAttack.LockSplit, _) when SplitAt(message!.Height) is { } split:
                Split(split, node, message, envelope, targets, signer, Send);
                Fire();
                return sent;
            case (HostAttack.Silent, _):
                Fire();
                return sent;
            case (HostAttack.WithheldPrecommits, SignedVote { Type: VoteType.Precommit }):
                Fire();
                return sent;
            case (HostAttack.TamperedCopies, SignedVote { Type: VoteType.Precommit }):
                // Its prevotes give the others a polka and a lock on the block; its precommits withheld, the victim is
                // needed for a decision: a victim that judged the id by its tampered copy, and kept that verdict, would
                // prevote nil on the re-proposals for good and stall the height (issue 18, finding 1).
                Fire();
                return sent;
            case (HostAttack.TamperedCopies, SignedProposal) when envelope.Proposal.Block is { Transactions.Count: > 0 } block:
                var victims = VictimsAt(message!.Height);
                var tampered = envelope.Clone();
                tampered.Proposal.Block = Tampered(block);
                foreach (var to in targets)
                {
                    Send(to, victims.Contains(to) ? tampered : envelope);
                }
                Fire();
                return sent;
            case (HostAttack.EquivocatingProposer, SignedProposal { ValidRound: -1 } p) when envelope.Proposal.Block is { } block:
                var other = Reproposed(p, block, block.Header.TimeMs + 1, signer);
                for (var i = 0; i < targets.Count; i++)
                {
                    Send(targets[i], i % 2 == 0 ? envelope : other);
                }
                Fire();
                return sent;
            case (HostAttack.FutureTime, SignedProposal { ValidRound: -1 } p) when envelope.Proposal.Block is { } block:
                var time = _simulation.Random.Next(4) == 0 ? BlockTime.MaxMs + 1 : _simulation.ClockMs + 600_000;
                var future = Reproposed(p, block, time, signer);
                foreach (var to in targets)
                {
                    Send(to, future);
                }
                Fire();
                return sent;
            case (HostAttack.DoubleVotes, SignedVote { Value: not null } v):
                var conflicting = Vote(v.Type, v.Height, v.Round, RandomValue(), node.Index, signer);
                for (var i = 0; i < targets.Count; i++)
                {
                    Send(targets[i], i % 2 == 0 ? envelope : conflicting);
                }
                Fire();
                return sent;
            case (HostAttack.Flood, SignedVote v):
                foreach (var to in targets)
                {
                    Send(to, envelope);
                }
                for (var i = 0; i < 8; i++)
                {
                    var extra = Vote(v.Type, v.Height, v.Round, RandomValue(), node.Index, signer);
                    foreach (var to in targets)
                    {
                        Send(to, extra);
                    }
                }
                Fire();
                return sent;
            case (HostAttack.FarFutureVotes, SignedVote v):
                var far = Vote(VoteType.Prevote, v.Height + 1_000, 0, RandomValue(), node.Index, signer);
                foreach (var to in targets)
                {
                    Send(to, envelope);
                    Send(to, far);
                }
                Fire();
                return sent;
            default:
                foreach (var to in targets)
                {
                    Send(to, envelope);
                }
                return sent;
        }
    }

    private static void Split(LockSplit split, HostedValidator node, ConsensusMessage message, PeerEnvelope envelope, IReadOnlyList<int> targets,
        ValidatorSigner signer, Action<int, PeerEnvelope> send)
    {
        switch (message)
        {
            case SignedProposal { Round: 0 } p:
                split.Value ??= p.Value;
                foreach (var to in targets.Where(split.Lockers.Contains))
                {
                    send(to, envelope);
                }
                break;
            case SignedVote { Round: 0 } v when split.Value is { } value:
                // v to those who must lock it (prevotes) or decide it (precommits); nil to the others, so that every honest
                // validator sees votes of more than two thirds and moves on to the next round.
                var forV = Vote(v.Type, v.Height, 0, value, node.Index, signer);
                var nil = Vote(v.Type, v.Height, 0, null, node.Index, signer);
                foreach (var to in targets)
                {
                    send(to, (v.Type == VoteType.Prevote ? split.Lockers.Contains(to) : to == split.Decider) ? forV : nil);
                }
                break;
            case SignedVote { Round: > 0 } v:
                // Back the other value proposed in this round, if any: the lockers must refuse it.
                var backing = split.Proposed.TryGetValue(v.Round, out var proposed) ? proposed : (Hash32?)null;
                var backed = Vote(v.Type, v.Height, v.Round, backing, node.Index, signer);
                foreach (var to in targets)
                {
                    send(to, backed);
                }
                break;
            case CommitOffer:
                // Telling the others the height's decision would end the split.
                break;
            case SignedProposal { Round: > 0 } p when envelope.Proposal.Block is { } block:
                // Its own turn in a later round: not v again, but another block, fresh, for the lockers to refuse.
                var other = Reproposed(p with { ValidRound = -1 }, block, block.Header.TimeMs + 1, signer);
                split.Proposed.TryAdd(p.Round, new Hash32(other.Proposal.BlockId.Span));
                foreach (var to in targets)
                {
                    send(to, other);
                }
                break;
            case SignedProposal:
                foreach (var to in targets)
                {
                    send(to, envelope);
                }
                break;
        }
    }

    /// <summary>A Byzantine peer asked for a proposed block: a tampered copy, or nothing.</summary>
    public Block? ServeBlock(HostedValidator node, Hash32 id)
    {
        if (node.Host?.FindProposedBlock(id) is not { Transactions.Count: > 0 } block)
        {
            return null;
        }
        TamperedServed++;
        return Tampered(block);
    }

    /// <summary>
    /// A Byzantine peer asked for block sync from <paramref name="height"/>: null when it stalls (the asker waits out its
    /// deadline); else a tampered copy of the block, or another block under a certificate only this peer signed.
    /// </summary>
    public StoredBlock? SyncAnswer(HostedValidator node, ulong height)
    {
        if (_simulation.Random.Next(3) == 0 || node.Services?.Store.GetBlock(height) is not { } block)
        {
            SyncStalls++;
            return null;
        }
        TamperedServed++;
        if (_simulation.Random.Next(2) == 0 && block.Transactions.Count > 0)
        {
            return new StoredBlock { Block = Tampered(block), Certificate = node.Services.Store.GetCommit(height) };
        }
        var forged = block.Clone();
        forged.Header.TimeMs++;
        var id = BlockHashing.HeaderHash(forged.Header);
        var signature = _simulation.SignerOf(node.Index).Sign(ConsensusSignBytes.ForVote(SimulationGenesis.ChainId, VoteType.Precommit, height, 0, id));
        var certificate = new CommitCertificate { Height = height, Round = 0, BlockHash = ByteString.CopyFrom(id.Span) };
        certificate.Signatures.Add(new CommitSignature { ValidatorIndex = (uint)node.Index, Signature = ByteString.CopyFrom(signature) });
        return new StoredBlock { Block = forged, Certificate = certificate };
    }

    /// <summary>A copy of <paramref name="block"/> under the same id with one transaction signature flipped.</summary>
    public static Block Tampered(Block block)
    {
        var copy = block.Clone();
        var tx = copy.Transactions[0];
        var signature = tx.Signature.ToByteArray();
        signature[^1] ^= 0x01;
        tx.Signature = ByteString.CopyFrom(signature);
        return copy;
    }

    private static PeerEnvelope Reproposed(SignedProposal p, Block block, long timeMs, ValidatorSigner signer)
    {
        var copy = block.Clone();
        copy.Header.TimeMs = timeMs;
        var id = BlockHashing.HeaderHash(copy.Header);
        var signature = signer.Sign(ConsensusSignBytes.ForProposal(SimulationGenesis.ChainId, p.Height, p.Round, id, p.ValidRound));
        return ConsensusWire.ToWire(new SignedProposal(p.Height, p.Round, id, p.ValidRound, p.ProposerIndex, signature), copy, p.ProposerIndex);
    }

    private static PeerEnvelope Vote(VoteType type, ulong height, int round, Hash32? value, int index, ValidatorSigner signer)
    {
        var signature = signer.Sign(ConsensusSignBytes.ForVote(SimulationGenesis.ChainId, type, height, round, value));
        return ConsensusWire.ToWire(new SignedVote(type, height, round, value, index, signature), null, index);
    }

    private Hash32 RandomValue()
    {
        var bytes = new byte[Hash32.Size];
        _simulation.Random.NextBytes(bytes);
        return new Hash32(bytes);
    }
}
