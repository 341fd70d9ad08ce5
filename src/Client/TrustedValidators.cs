using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// The validators whose commit certificates the client believes: taken from the genesis document the
/// client was given, never from a node. Validator set changes are not on the ledger yet, so the genesis
/// set is the set of every height; when they are, this must follow them through proven changes.
/// </summary>
public sealed class TrustedValidators : IConsensusVerifier
{
    private readonly PublicKey[] _keys;

    public TrustedValidators(string chainId, IReadOnlyList<Validator> validators)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentNullException.ThrowIfNull(validators);
        ChainId = chainId;
        _keys = validators.Select(v => v.Key ?? throw new ArgumentException($"validator '{v.OrganisationId}' has no key", nameof(validators))).ToArray();
        Set = new ConsensusValidatorSet(validators.Select(v => v.Power).ToArray());
        Organisations = validators.Select(v => v.OrganisationId).ToArray();
    }

    public string ChainId { get; }

    public ConsensusValidatorSet Set { get; }

    /// <summary>The organisation running each validator, by index.</summary>
    public IReadOnlyList<string> Organisations { get; }

    /// <summary>The validators of a genesis document, after the same checks a node makes when it loads it.</summary>
    /// <exception cref="GenesisException">The document is not a valid genesis.</exception>
    public static TrustedValidators FromGenesis(GenesisDocument genesis)
    {
        var (config, _) = GenesisLoader.Load(genesis);
        return new TrustedValidators(config.ChainId, config.Validators);
    }

    /// <exception cref="GenesisException">The document is not a valid genesis.</exception>
    public static TrustedValidators FromGenesisFile(string path) =>
        FromGenesis(GenesisLoader.Parse(File.ReadAllText(path)));

    /// <summary>The index of the validator holding this key, or -1.</summary>
    public int IndexOf(PublicKey key) => Array.FindIndex(_keys, k => k.Suite == key.Suite && k.Key == key.Key);

    public bool Verify(int validatorIndex, byte[] signBytes, byte[] signature) =>
        validatorIndex >= 0 && validatorIndex < _keys.Length && SignatureSuites.Verify(_keys[validatorIndex], signBytes, signature);
}
