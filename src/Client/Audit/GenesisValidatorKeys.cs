using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client.Audit;

/// <summary>Verifies validators' signatures with the keys the genesis names, by validator index.</summary>
public sealed class GenesisValidatorKeys : IConsensusVerifier
{
    private readonly PublicKey[] _keys;

    public GenesisValidatorKeys(NetworkConfig config) => _keys = config.Validators.Select(v => v.Key).ToArray();

    public bool Verify(int validatorIndex, byte[] signBytes, byte[] signature) =>
        validatorIndex >= 0 && validatorIndex < _keys.Length && SignatureSuites.Verify(_keys[validatorIndex], signBytes, signature);
}
