using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.StateTree;

/// <summary>An encoded state tree node and the hash it is stored under.</summary>
public readonly record struct TreeNode(Hash32 Hash, byte[] Bytes);
