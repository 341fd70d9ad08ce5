using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ledger.Node.Hosting;

/// <summary>
/// The node is healthy while its chain moves: a committed block within the last few heartbeat intervals.
/// A node that cannot reach a quorum keeps answering reads, so it reports degraded, not unhealthy.
/// </summary>
public sealed class ConsensusHealthCheck : IHealthCheck
{
    private readonly NodeServices _node;
    private readonly ConsensusHost _host;

    public ConsensusHealthCheck(NodeServices node, ConsensusHost host)
    {
        _node = node;
        _host = host;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_host.Faulted)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the consensus loop stopped"));
        }
        if (_host.HoldingMessages)
        {
            return Task.FromResult(HealthCheckResult.Degraded("this validator holds its votes back: its last write-ahead record did not fit the journal (see the log)"));
        }
        var quietMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - _host.LastCommitMs;
        var limitMs = (10 * _node.Timeouts.EmptyBlockIntervalMs) + _node.Timeouts.ProposeBaseMs;
        return Task.FromResult(quietMs <= limitMs
            ? HealthCheckResult.Healthy($"height {_node.Store.Head.Height}")
            : HealthCheckResult.Degraded($"no block committed for {quietMs / 1000} s (height {_node.Store.Head.Height}): is a quorum of validators reachable?"));
    }
}
