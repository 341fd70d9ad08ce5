using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>The part of a leaf its hash commits to: the key's path (SHA-256 of the key) and SHA-256 of the value.</summary>
public readonly record struct StateProofLeaf(Hash32 Path, Hash32 ValueHash);
