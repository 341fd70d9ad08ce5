namespace Ledger.Node.Storage;

/// <summary>The consensus engine's write-ahead record for one height, opaque to storage.</summary>
public sealed record ConsensusRecord(ulong Height, byte[] Bytes);
