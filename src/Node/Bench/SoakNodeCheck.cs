namespace Ledger.Node.Bench;

/// <summary>What one node (1-based) answered at the end of the soak.</summary>
/// <param name="Missing">Acknowledged transactions GetTransaction did not find on this node.</param>
/// <param name="Misplaced">Found at another height, position or block than the acknowledgement said.</param>
public sealed record SoakNodeCheck(int Node, ulong Height, string LastBlockHash, string StateRoot, int Missing, int Misplaced);
