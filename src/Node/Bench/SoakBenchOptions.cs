namespace Ledger.Node.Bench;

/// <summary>What `ledger bench soak` runs.</summary>
/// <param name="Minutes">Duration of the load (fractions allowed, for short runs).</param>
/// <param name="KillEverySeconds">A validator is SIGKILLed at every multiple of this, round robin.</param>
/// <param name="DownSeconds">How long a killed validator stays down before it is started again.</param>
/// <param name="RatePerSecond">Transactions offered per second, each through the client library's submit-and-wait.</param>
public sealed record SoakBenchOptions(double Minutes, int KillEverySeconds, int DownSeconds, int RatePerSecond, int Validators);
