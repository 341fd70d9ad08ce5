namespace Ledger.Contracts.Consensus;

/// <summary>Checks a validator's signature; the implementation knows the validators' public keys by index.</summary>
public interface IConsensusVerifier
{
    bool Verify(int validatorIndex, byte[] signBytes, byte[] signature);
}
