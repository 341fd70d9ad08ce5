using Ledger.Contracts.Certificates;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Routes;

/// <summary>Export customs declares a consignment: its certificates, vehicles, seals and itinerary.</summary>
public static class ConsignmentContract
{
    public static Refusal? Declare(TxContext ctx, DeclareConsignment tx)
    {
        var refusal = CheckShape(ctx, tx);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ctx.State.Consignment(tx.ConsignmentId) is not null)
        {
            return new Refusal(RuleCatalog.ConsignmentExists, $"consignment '{tx.ConsignmentId}' was already declared");
        }
        var certificates = new List<CertificateRecord>();
        foreach (var id in tx.CertificateIds)
        {
            var cert = ctx.State.Certificate(id);
            var why = cert is null ? "names no certificate"
                : cert.Status != CertificateStatus.Issued ? $"is {CertificateStatusNames.Format(cert.Status)}"
                : !string.Equals(cert.Certificate.ExportCountry, ctx.SignerCountry, StringComparison.Ordinal)
                    ? $"certifies export from {cert.Certificate.ExportCountry}, not from {ctx.SignerCountry} where '{ctx.SignerId}' is customs"
                : null;
            if (why is not null)
            {
                return new Refusal(RuleCatalog.CertNotLinkable, $"certificate_ids: '{id}' {why}");
            }
            certificates.Add(cert!);
        }

        var first = Checkpoints.Find(ctx.State.Config, tx.Itinerary[0].Checkpoint)!;
        var record = new ConsignmentRecord
        {
            Declaration = tx,
            DeclaredBy = ctx.SignerId,
            DeclaredAtMs = ctx.Block.TimeMs,
            LastStopIndex = -1,
            CurrentGaugeMm = tx.Mode == TransportMode.Rail ? first.GaugeMm : 0,
        };
        record.ActiveSeals.AddRange(tx.Seals.Select(s => s.SealId).Order(StringComparer.Ordinal));
        ctx.State.Put(record);
        foreach (var cert in certificates)
        {
            cert.Consignments.Add(tx.ConsignmentId);
            ctx.State.Put(cert);
        }
        return null;
    }

    private static Refusal? CheckShape(TxContext ctx, DeclareConsignment tx)
    {
        if (tx.ConsignmentId.Length == 0 || tx.CertificateIds.Count == 0 || tx.Mode == TransportMode.Unspecified)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "consignment_id, at least one certificate id and the transport mode are required");
        }
        if (tx.Itinerary.Count < 2)
        {
            return new Refusal(RuleCatalog.ItineraryInvalid, $"the itinerary needs a departure and a destination checkpoint; it has {tx.Itinerary.Count}");
        }
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tx.Itinerary.Count; i++)
        {
            var stop = tx.Itinerary[i];
            if (Checkpoints.Find(ctx.State.Config, stop.Checkpoint) is null)
            {
                return new Refusal(RuleCatalog.CheckpointUnknown, $"itinerary[{i}]: checkpoint '{stop.Checkpoint}' is not in the registry");
            }
            if (Checkpoints.Find(ctx.State.Config, stop.Checkpoint)!.ClosedAtMs != 0)
            {
                // No post may record at a closed checkpoint, so a route through it could never be verified.
                return new Refusal(RuleCatalog.CheckpointClosed, $"itinerary[{i}]: checkpoint '{stop.Checkpoint}' is closed; declare a route through open checkpoints");
            }
            if (!seen.Add(stop.Checkpoint))
            {
                return new Refusal(RuleCatalog.ItineraryInvalid, $"itinerary[{i}]: checkpoint '{stop.Checkpoint}' appears twice");
            }
            if (stop.MinLegMs < 0 || stop.MaxLegMs < 0 || (stop.MaxLegMs > 0 && stop.MaxLegMs < stop.MinLegMs))
            {
                return new Refusal(RuleCatalog.ItineraryInvalid,
                    $"itinerary[{i}]: the time window [{stop.MinLegMs}, {stop.MaxLegMs}] ms is not a window");
            }
        }
        var seals = tx.Seals.Select(s => s.SealId).ToArray();
        if (seals.Any(s => s.Length == 0) || seals.Distinct(StringComparer.Ordinal).Count() != seals.Length)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "every seal needs a seal_id, used once");
        }
        return null;
    }
}
