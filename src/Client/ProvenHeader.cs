using Ledger.Contracts.Crypto;

namespace Ledger.Client;

/// <summary>The committed block a proven answer was checked against: its certificate verified with the trusted validators.</summary>
public sealed record ProvenHeader(ulong Height, Hash32 BlockHash, Hash32 StateRoot, long TimeMs);
