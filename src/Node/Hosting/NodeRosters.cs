using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>
/// The validator rosters the committed chain knows: read from the state after each commit, so they name the set of
/// every height up to two past the head. Read by the loop and by the services beside it, hence swapped whole.
/// </summary>
public sealed class NodeRosters
{
    private readonly NetworkConfig _config;
    private ValidatorSets _sets;

    public NodeRosters(NetworkConfig config, IStateReader state)
    {
        _config = config;
        _sets = Read(state);
    }

    public ValidatorSets Current => Volatile.Read(ref _sets);

    public HeightValidators At(ulong height) => Current.At(Math.Max(1, height));

    public HeightRoster RosterAt(ulong height)
    {
        var roster = At(height);
        return new HeightRoster(roster.Set, roster);
    }

    /// <summary>The position of a validator key in any roster (keys are never reused); -1 if it never was one.</summary>
    public int IndexOf(PublicKey key) => Current.Holding(key)?.Index ?? -1;

    /// <summary>
    /// Each roster after the genesis's in force from a height up to <paramref name="height"/> (at most <paramref name="max"/>,
    /// after <paramref name="afterHeight"/>), with the header of the height before it and that header's certificate.
    /// </summary>
    public IReadOnlyList<ValidatorSetProof> Proofs(Storage.BlockStore store, ulong afterHeight, ulong height, int max = int.MaxValue)
    {
        var proofs = new List<ValidatorSetProof>();
        foreach (var roster in Current.All.Where(r => r.FromHeight > Math.Max(afterHeight, 1) && r.FromHeight <= height && r.FromHeight - 1 <= store.Head.Height).Take(max))
        {
            var proof = new ValidatorSetProof
            {
                FromHeight = roster.FromHeight,
                Header = store.GetHeader(roster.FromHeight - 1),
                Certificate = store.GetCommit(roster.FromHeight - 1),
            };
            proof.Validators.AddRange(roster.Roster);
            proofs.Add(proof);
        }
        return proofs;
    }

    public void Refresh(IStateReader state) => Volatile.Write(ref _sets, Read(state));

    /// <summary>A certificate signed by more than two thirds of the set of its own height.</summary>
    public bool CertificateIsValid(CommitCertificate certificate)
    {
        return At(certificate.Height).Verify(certificate) == CommitCertificateVerdict.Valid;
    }

    private ValidatorSets Read(IStateReader state) => new(_config.ChainId, LedgerState.ReadValidatorSchedule(state, _config));
}
