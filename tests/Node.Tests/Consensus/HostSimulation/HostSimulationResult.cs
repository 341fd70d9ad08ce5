namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>What one seed's run did: heights every honest node committed, and the faults and attacks that fired.</summary>
internal sealed record HostSimulationResult(
    int Seed,
    ulong Heights,
    long SimulatedMs,
    int Crashes,
    int TransactionsCommitted,
    int EvidenceCommitted,
    int SyncedBatches,
    int FetchedBlocks,
    IReadOnlyDictionary<HostAttack, int> AttacksFired,
    int SyncStalls,
    int TamperedServed,
    int LockSplits,
    int LockSplitsLanded,
    int RosterChanges);

/// <summary>A check of the host-level simulation failed; the message names the seed, the time and the node.</summary>
internal sealed class HostSimulationFailure(string message) : Exception(message);
