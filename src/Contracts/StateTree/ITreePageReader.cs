using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// Read side of a content-addressed store of state tree nodes (docs/PROTOCOL.md, "State tree and state proofs",
/// "Node encoding"), grouped in pages. A store either keeps band pages (<see cref="TreePage"/>: a node at a
/// depth that is a multiple of <see cref="TreePage.BandDepth"/> with its band below it) or single nodes, each a
/// page of one. The tree looks a child up in its parent's page first and asks the store only when it is not
/// there, and checks every node it reads against its hash.
/// </summary>
public interface ITreePageReader
{
    /// <summary>True if the store keeps band pages: <see cref="SparseMerkleTree.Apply"/> then computes <see cref="TreeUpdate.NewPages"/>.</summary>
    bool KeepsBandPages { get; }

    /// <summary>The page whose root node is <paramref name="pageRoot"/>, or null if the store lacks it.</summary>
    TreePage? TryGetPage(Hash32 pageRoot);
}
