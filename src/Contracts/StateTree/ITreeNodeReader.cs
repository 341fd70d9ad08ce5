using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Read side of a content-addressed store of state tree nodes (docs/PROTOCOL.md, "State tree and state proofs",
/// "Node encoding"). The tree checks every node it reads against the hash it asked for, so a store
/// only has to return the bytes that were put under that hash.
/// </summary>
public interface ITreeNodeReader
{
    /// <summary>The encoded node stored under <paramref name="nodeHash"/>, or null if the store lacks it.</summary>
    byte[]? TryGet(Hash32 nodeHash);
}
