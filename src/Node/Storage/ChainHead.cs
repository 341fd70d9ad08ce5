using Ledger.Contracts.Crypto;

namespace Ledger.Node.Storage;

/// <summary>The last committed block. Height 0 is the genesis: no block, a zero block hash, the genesis state root.</summary>
public sealed record ChainHead(ulong Height, Hash32 BlockHash, Hash32 StateRoot);
