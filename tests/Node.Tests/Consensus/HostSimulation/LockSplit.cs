using Ledger.Contracts.Crypto;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// A lock split at one height whose round-0 proposer is Byzantine, before GST, when the network still belongs to the
/// adversary. Round 0: the proposal v and the coalition's prevotes reach the lockers only (q − f honest validators), so
/// they lock v and precommit it; the coalition's precommits reach the decider only, which decides v; the decider is then
/// cut off until GST. Later rounds: the coalition prevotes and precommits whatever another proposer proposes. With correct
/// code the lockers prevote nil for it (L22, L28) and nothing else can be decided: the honest validators left, plus the
/// coalition, are n − q + f &lt; q. A locker that forgot its lock (a restart without it) or ignores it completes a quorum
/// for another value, and agreement breaks.
/// </summary>
internal sealed class LockSplit(ulong height, IReadOnlySet<int> lockers, int decider)
{
    public ulong Height { get; } = height;

    /// <summary>The honest validators that see round 0's proposal and polka, the decider among them.</summary>
    public IReadOnlySet<int> Lockers { get; } = lockers;

    public int Decider { get; } = decider;

    /// <summary>The Byzantine proposer's value, once it proposed.</summary>
    public Hash32? Value { get; set; }

    /// <summary>What honest proposers proposed in later rounds: the values the coalition backs.</summary>
    public Dictionary<int, Hash32> Proposed { get; } = [];

    /// <summary>Lockers that crashed right after their precommit for v: once each, or a restart that resends it would crash again.</summary>
    public HashSet<int> Crashed { get; } = [];

    /// <summary>The decider committed v: the split is in place.</summary>
    public bool Landed { get; set; }
}
