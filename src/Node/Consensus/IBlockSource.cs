using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>getValue() of the paper: the host builds a block for this height (an empty one if nothing waits) and returns its id.</summary>
public interface IBlockSource
{
    Hash32 ProposeValue(ulong height, int round);
}
