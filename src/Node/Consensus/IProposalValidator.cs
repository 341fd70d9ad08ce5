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
}
