namespace Ledger.Node.Bench;

/// <summary>What `ledger bench scale` runs.</summary>
/// <param name="Certificates">Certificate transactions committed in all.</param>
/// <param name="Step">Certificates per measured step.</param>
/// <param name="InFlight">Transactions submitted and not yet committed, at most: keeps the node busy without queueing minutes of work in its mempool.</param>
/// <param name="Concurrency">Submit calls in flight.</param>
/// <param name="Chambers">Ed25519 chambers the certificates are issued by, in turn.</param>
/// <param name="KeepFolder">Leave the node's database and the signed transactions on disk after the run (its log is always kept).</param>
public sealed record ScaleBenchOptions(int Certificates, int Step, int InFlight, int Concurrency, int Chambers, bool KeepFolder);
