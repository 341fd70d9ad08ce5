namespace Ledger.Node.Bench;

/// <summary>VerifyCertificate answered by one node under concurrent callers.</summary>
public sealed record VerifyBenchResult(bool WithProof, int Callers, double CallsPerSecond, LatencyStats Latency, int Errors);
