using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ledger.Node.Hosting;

/// <summary>
/// The node is healthy while its chain moves when it should: a validator waiting for work is idle, not stuck.
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
        if (_host.Idle)
        {
            // Quiet when idle: no transaction waits and the heartbeat is not due, so no block is expected.
            return Task.FromResult(HealthCheckResult.Healthy($"height {_node.Store.Head.Height}, idle"));
        }
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var quietMs = nowMs - Math.Max(_host.LastCommitMs, _host.ActiveSinceMs);
        return Task.FromResult(QuietLimitMs(_node.Timeouts, _host.Counters is not null) is { } limitMs && quietMs > limitMs
            ? HealthCheckResult.Degraded($"no block committed for {quietMs / 1000} s (height {_node.Store.Head.Height}): is a quorum of validators reachable?")
            : HealthCheckResult.Healthy($"height {_node.Store.Head.Height}"));
    }

    /// <summary>
    /// How long the chain may stand still before the node reports degraded. A validator that started a height expects a
    /// decision within a few rounds; a read replica cannot tell an idle network from a stuck one, so it waits ten
    /// heartbeat intervals, and with no heartbeat (0) it never reports degraded for quiet alone.
    /// </summary>
    public static long? QuietLimitMs(ConsensusTimeouts timeouts, bool validator) =>
        validator ? 10 * timeouts.ProposeBaseMs
        : timeouts.EmptyBlockIntervalMs > 0 ? (10 * timeouts.EmptyBlockIntervalMs) + timeouts.ProposeBaseMs : null;
}
