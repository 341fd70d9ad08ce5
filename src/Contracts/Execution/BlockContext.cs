namespace Ledger.Contracts.Execution;

/// <summary>What a block tells the contracts about itself. Its time is the only clock they may read.</summary>
public sealed record BlockContext(string ChainId, ulong Height, long TimeMs);
