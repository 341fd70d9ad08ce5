using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;

namespace Ledger.Node.Hosting;

/// <summary>This node's consensus key, in whatever suite the genesis names for it.</summary>
public sealed class ValidatorSigner : IConsensusSigner
{
    private readonly KeyPair _key;

    public ValidatorSigner(int validatorIndex, KeyPair key)
    {
        ValidatorIndex = validatorIndex;
        _key = key;
    }

    public int ValidatorIndex { get; }

    public byte[] Sign(byte[] signBytes) => SignatureSuites.Sign(_key.Private, signBytes);

    /// <summary>Signs this validator's calls to its peers with the same key (docs/PROTOCOL.md, "Signed calls").</summary>
    public CallSigner PeerCallSigner(string chainId) => CallSigner.ForValidator(chainId, ValidatorIndex, _key);
}
