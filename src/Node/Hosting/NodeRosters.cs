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

    public void Refresh(IStateReader state) => Volatile.Write(ref _sets, Read(state));

    /// <summary>A certificate signed by more than two thirds of the set of its own height.</summary>
    public bool CertificateIsValid(CommitCertificate certificate)
    {
        var roster = At(certificate.Height);
        return CommitCertificateVerifier.Verify(roster.Set, _config.ChainId, certificate, roster) == CommitCertificateVerdict.Valid;
    }

    private ValidatorSets Read(IStateReader state) => new(_config.ChainId, LedgerState.ReadValidatorSchedule(state, _config));
}
