namespace Ledger.Contracts.Routes;

/// <summary>The three answers a route verdict can give.</summary>
public enum RouteVerdictKind
{
    /// <summary>Not yet arrived, and no breach so far.</summary>
    InTransit,
    /// <summary>Arrived with every checkpoint in order, within its window, seals intact.</summary>
    DirectTransportVerified,
    /// <summary>At least one breach was recorded.</summary>
    Breached,
}
