using Ledger.Contracts.Crypto;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>The edges of one incarnation of a simulated node: simulated time, the seeded transport, block fetch and sync.</summary>
internal sealed class SimulatedHostEdges : IHostEdges
{
    private readonly HostSimulation _simulation;
    private readonly HostedValidator _node;
    private readonly int _incarnation;

    public SimulatedHostEdges(HostSimulation simulation, HostedValidator node, int incarnation)
    {
        _simulation = simulation;
        _node = node;
        _incarnation = incarnation;
    }

    public long NowMs => _simulation.ClockMs + _node.ClockSkewMs;

    public void After(long delayMs, HostEvent e)
    {
        ThrowIfCrashing();
        _simulation.Schedule(delayMs, () => _node.Deliver(_incarnation, e));
    }

    public void Broadcast(PeerEnvelope envelope)
    {
        ThrowIfCrashing();
        _simulation.Outbound(_node, envelope, to: null);
    }

    public void SendTo(int validatorIndex, PeerEnvelope envelope)
    {
        ThrowIfCrashing();
        _simulation.Outbound(_node, envelope, to: validatorIndex);
    }

    public void FetchBlock(ulong height, Hash32 blockId)
    {
        ThrowIfCrashing();
        _simulation.Fetch(_node, _incarnation, height, blockId);
    }

    public void StartSync(CancellationToken stopping)
    {
        ThrowIfCrashing();
        _simulation.Sync(_node, _incarnation);
    }

    public Task SyncBeforeStartAsync(Func<IReadOnlyList<StoredBlock>, bool> apply, CancellationToken ct) =>
        throw new NotSupportedException("the simulation starts consensus itself and syncs beside the loop");

    private void ThrowIfCrashing()
    {
        if (_node.CrashArmed)
        {
            throw new SimulatedCrash();
        }
    }
}
