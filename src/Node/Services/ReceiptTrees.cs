using Ledger.Contracts.Blocks;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>
/// The receipt trees of the last few blocks asked about, for receipt proofs: every submitter waiting on one block asks
/// for the same tree, which is hashed once (<see cref="MerkleProver"/>). Bounded to <see cref="HeightsKept"/> blocks.
/// </summary>
public sealed class ReceiptTrees
{
    public const int HeightsKept = 8;

    private readonly object _gate = new();
    private readonly LinkedList<(ulong Height, MerkleProver Prover)> _recent = new();

    public MerkleProver For(ulong height, IReadOnlyList<Receipt> receipts)
    {
        lock (_gate)
        {
            foreach (var (h, prover) in _recent)
            {
                if (h == height)
                {
                    return prover;
                }
            }
            var made = new MerkleProver(receipts.Select(BlockHashing.ReceiptBytes).ToArray());
            _recent.AddFirst((height, made));
            if (_recent.Count > HeightsKept)
            {
                _recent.RemoveLast();
            }
            return made;
        }
    }
}
