using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>
/// valid(v) of the paper, answered by the host, which holds block contents by id. It must give the same
/// answer on every correct node (no local clock, no local mempool state). Unknown makes the driver ask for
/// the block (<see cref="DriverEffect.RequestBlock"/>) and wait for <see cref="DriverInput.BlockReceived"/>.
/// </summary>
public interface IProposalValidator
{
    BlockValidity Validate(ulong height, Hash32 blockId);

    /// <summary>
    /// timely(v) of proposer-based timestamps, asked only when prevoting a fresh proposal (L22): whether the block's time is
    /// not too far ahead of this node's clock. It may differ between nodes, so it is never asked on the decision path (L49)
    /// nor for a re-proposal (L28), whose time more than two thirds already found timely in an earlier round.
    /// </summary>
    bool IsTimely(ulong height, Hash32 blockId);
}
