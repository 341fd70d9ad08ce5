namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>What one run did, to show that the faults were really exercised.</summary>
internal sealed record SimulationResult(
    int Seed,
    long EndMs,
    long Deliveries,
    int HeightsDecided,
    int Crashes,
    long Evidence,
    long CertificatesOffered,
    long BlocksRequested,
    int TargetedCrashes,
    int LockSplits,
    int LockSplitsLanded,
    int TamperedCopyAttacks,
    int TamperedCopies,
    long GstToNextDecisionMs,
    string Fingerprint);
