using Ledger.Contracts.Crypto;

namespace Ledger.Node.Storage;

/// <summary>Which chain a database belongs to: a node refuses to open another chain's database.</summary>
/// <param name="ChainId">The genesis chain id.</param>
/// <param name="GenesisHash">A hash of the genesis document the node is configured with.</param>
public sealed record ChainIdentity(string ChainId, Hash32 GenesisHash);
