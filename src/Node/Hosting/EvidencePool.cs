using Ledger.Contracts.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>
/// Equivocation proofs this node has seen and not yet seen committed, for its next proposals: one per validator,
/// height, round and type (the state key), at most <see cref="ProofsMax"/>, taken in key order. Touched by the
/// consensus loop only.
/// </summary>
public sealed class EvidencePool
{
    /// <summary>Proofs waiting at once: four blocks' worth; a validator that equivocates more is proven guilty enough.</summary>
    public const int ProofsMax = 4 * EquivocationProofs.PerBlockMax;

    private readonly SortedDictionary<string, EquivocationProof> _proofs = new(StringComparer.Ordinal);

    public int Count => _proofs.Count;

    public void Add(EquivocationProof proof)
    {
        if (_proofs.Count < ProofsMax)
        {
            _proofs.TryAdd(EquivocationProofs.StateKey(proof), proof);
        }
    }

    /// <summary>Up to <paramref name="count"/> proofs that <paramref name="mayCarry"/> accepts; the others, stale or committed, are dropped.</summary>
    public IReadOnlyList<EquivocationProof> Take(int count, Func<EquivocationProof, bool> mayCarry)
    {
        var taken = new List<EquivocationProof>();
        foreach (var (key, proof) in _proofs.ToArray())
        {
            if (!mayCarry(proof))
            {
                _proofs.Remove(key);
            }
            else if (taken.Count < count)
            {
                taken.Add(proof);
            }
        }
        return taken;
    }

    /// <summary>A block committed these: they wait no more.</summary>
    public void Committed(IEnumerable<EquivocationProof> proofs)
    {
        foreach (var proof in proofs)
        {
            _proofs.Remove(EquivocationProofs.StateKey(proof));
        }
    }
}
