using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Node.Chain;

/// <summary>The committed chain as a new block sees it: its head, the head's certificate, and the state after it.</summary>
public sealed record ChainView(
    NetworkConfig Config,
    ulong Height,
    Hash32 HeadHash,
    long HeadTimeMs,
    Hash32 StateRoot,
    CommitCertificate? HeadCommit,
    IStateReader State,
    ITreePageReader Tree)
{
    /// <summary>The rosters the committed chain knows: the sets of every height up to two past the head.</summary>
    public ValidatorSets Rosters() => new(Config.ChainId, LedgerState.ReadValidatorSchedule(State, Config));
}
