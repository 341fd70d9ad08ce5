using System.Diagnostics.Metrics;
using Ledger.Node.Hosting;

namespace Ledger.Node.Telemetry;

/// <summary>The consensus loop's drop counters as measurements tagged by reason, read when metrics are scraped.</summary>
public static class DroppedMessages
{
    public static IEnumerable<Measurement<long>> Of(ConsensusHost host)
    {
        yield return Reason(host.InboundDropped, "inbound_queue_full");
        yield return Reason(host.OutboundDropped, "outbox_full");
        // A read replica has no consensus driver and so no counters of its own.
        if (host.Counters is not { } c)
        {
            yield break;
        }
        yield return Reason(c.Malformed, "malformed");
        yield return Reason(c.UnknownValidator, "unknown_validator");
        yield return Reason(c.BadSignature, "bad_signature");
        yield return Reason(c.WrongProposer, "wrong_proposer");
        yield return Reason(c.StaleHeight, "stale_height");
        yield return Reason(c.FarFutureHeight, "far_future_height");
        yield return Reason(c.FarFutureRound, "far_future_round");
        yield return Reason(c.NextHeightBufferFull, "next_height_buffer_full");
        yield return Reason(c.Duplicate, "duplicate");
        yield return Reason(c.Equivocation, "equivocation");
        yield return Reason(c.InvalidCertificate, "invalid_certificate");
    }

    private static Measurement<long> Reason(long count, string reason) => new(count, new KeyValuePair<string, object?>("reason", reason));
}
