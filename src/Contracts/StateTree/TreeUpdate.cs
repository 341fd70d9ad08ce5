using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>
/// What applying one batch of changes produced. The new nodes (or pages) are written together, in one batch
/// per block, so that a crash leaves either the old root or the new one fully readable.
/// </summary>
/// <param name="Root">The state root after the batch.</param>
/// <param name="NewNodes">Every node reachable from <paramref name="Root"/> that was not reachable from the
/// previous root, children before parents; nothing superseded within the batch. Leaves carry their values.</param>
/// <param name="StaleNodes">Nodes reachable from the previous root but not from the new one. Older roots may
/// still reference them, so they are candidates for pruning, not garbage.</param>
/// <param name="NewPages">For a store that keeps band pages (<see cref="ITreePageReader.KeepsBandPages"/>): every
/// page whose root is new, including the root's page; empty for stores of single nodes.</param>
public sealed record TreeUpdate(Hash32 Root, IReadOnlyList<TreeNode> NewNodes, IReadOnlyList<Hash32> StaleNodes, IReadOnlyList<TreePage> NewPages);
