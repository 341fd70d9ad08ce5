using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>
/// The validator roster in force at a range of heights: each position's organisation, consensus key and power
/// (0 for a validator removed, or not yet admitted), the consensus set they make, and its hash, which headers carry.
/// </summary>
public sealed class HeightValidators : IConsensusVerifier
{
    private readonly Validator[] _roster;

    public HeightValidators(string chainId, ulong fromHeight, IReadOnlyList<Validator> roster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentNullException.ThrowIfNull(roster);
        _roster = [.. roster];
        foreach (var validator in _roster)
        {
            if (validator.Key is null)
            {
                throw new ArgumentException($"validator '{validator.OrganisationId}' has no key", nameof(roster));
            }
        }
        ChainId = chainId;
        FromHeight = fromHeight;
        Set = new ConsensusValidatorSet(_roster.Select(v => v.Power).ToArray());
        Hash = ValidatorSetHashing.Hash(chainId, _roster);
    }

    public string ChainId { get; }

    /// <summary>The first height this roster signs.</summary>
    public ulong FromHeight { get; }

    public ConsensusValidatorSet Set { get; }

    public Hash32 Hash { get; }

    public IReadOnlyList<Validator> Roster => _roster;

    /// <summary>The organisation at each position, members or not.</summary>
    public string OrganisationOf(int index) => _roster[index].OrganisationId;

    /// <summary>The position of the validator holding this key, member at these heights or not; -1 if none.</summary>
    public int IndexOf(PublicKey key) => Array.FindIndex(_roster, v => v.Key.Suite == key.Suite && v.Key.Key == key.Key);

    /// <summary>The position of the organisation's validator; -1 if it never was one.</summary>
    public int IndexOf(string organisationId) => Array.FindIndex(_roster, v => string.Equals(v.OrganisationId, organisationId, StringComparison.Ordinal));

    /// <summary>Whether a commit certificate is more than two thirds of this roster's power, each signature verified.</summary>
    public CommitCertificateVerdict Verify(CommitCertificate? certificate) => CommitCertificateVerifier.Verify(Set, ChainId, certificate, this);

    /// <summary>Only members' signatures verify: a removed validator's key signs nothing that counts.</summary>
    public bool Verify(int validatorIndex, byte[] signBytes, byte[] signature) =>
        Set.Contains(validatorIndex) && SignatureSuites.Verify(_roster[validatorIndex].Key, signBytes, signature);
}
