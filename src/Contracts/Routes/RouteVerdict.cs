using Ledger.Wire;

namespace Ledger.Contracts.Routes;

/// <summary>A consignment's route verdict: direct transport verified, still in transit, or the breaches found.</summary>
public sealed record RouteVerdict(RouteVerdictKind Kind, IReadOnlyList<RouteBreach> Breaches)
{
    public static RouteVerdict Of(ConsignmentRecord consignment) =>
        consignment.Breaches.Count > 0 ? new(RouteVerdictKind.Breached, consignment.Breaches.ToArray())
        : consignment.Closed ? new(RouteVerdictKind.DirectTransportVerified, [])
        : new(RouteVerdictKind.InTransit, []);
}
