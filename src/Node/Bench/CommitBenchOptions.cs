using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>What `ledger bench commit` runs: how many validators, what load, for how long.</summary>
/// <param name="RatePerSecond">Offered transactions per second; 0 submits as fast as the network takes them.</param>
/// <param name="SuiteMix">Chambers per signature suite; transactions go to chambers in turn.</param>
/// <param name="WarmupSeconds">
/// Seconds of the same load before the measured ones, committed and not counted: a node compiles each method on
/// its first call (no tiered JIT), so the first blocks of a fresh network wait for the compiler.
/// </param>
/// <param name="SignatureWindows">
/// One-second windows whose median is a reference verification rate, measured after a first second (reported apart) and one more not counted.
/// </param>
public sealed record CommitBenchOptions(
    int Validators,
    int RatePerSecond,
    int DurationSeconds,
    IReadOnlyList<(KeySuite Suite, int Chambers)> SuiteMix,
    int Concurrency,
    int WarmupSeconds = 0,
    int SignatureWindows = 5);
