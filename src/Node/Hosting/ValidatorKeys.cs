using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>The validators' public keys from the genesis, by index: verifies their consensus signatures.</summary>
public sealed class ValidatorKeys : IConsensusVerifier
{
    private readonly PublicKey[] _keys;

    public ValidatorKeys(NetworkConfig config)
    {
        _keys = config.Validators.Select(v => v.Key).ToArray();
        Set = new ConsensusValidatorSet(config.Validators.Select(v => v.Power).ToArray());
        Organisations = config.Validators.Select(v => v.OrganisationId).ToArray();
    }

    public ConsensusValidatorSet Set { get; }

    /// <summary>The organisation running each validator, by index: a block header names its proposer by it.</summary>
    public IReadOnlyList<string> Organisations { get; }

    public int IndexOf(PublicKey key) => Array.FindIndex(_keys, k => k.Suite == key.Suite && k.Key == key.Key);

    public bool Verify(int validatorIndex, byte[] signBytes, byte[] signature) =>
        validatorIndex >= 0 && validatorIndex < _keys.Length && SignatureSuites.Verify(_keys[validatorIndex], signBytes, signature);
}
