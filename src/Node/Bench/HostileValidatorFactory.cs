namespace Ledger.Node.Bench;

/// <summary>
/// Plays validator <paramref name="index"/> of a benchmark's network against the others, from outside the ledger binary
/// (a test helper: the production binary has no hostile mode). It serves that validator's endpoint with its genuine key
/// from <paramref name="folder"/>; disposing it stops it.
/// </summary>
public delegate Task<IAsyncDisposable> HostileValidatorFactory(string folder, string chainId, IReadOnlyList<string> endpoints, int index, CancellationToken ct);
