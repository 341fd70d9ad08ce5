using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;

namespace Ledger.Node.Hosting;

/// <summary>
/// This node's consensus key, in whatever suite the roster names for it, and its roster position: known at start
/// for a validator, or once governance adds the key, for a node that starts as a replica waiting to be one.
/// </summary>
public sealed class ValidatorSigner : IConsensusSigner
{
    private readonly KeyPair _key;
    private int _index;

    public ValidatorSigner(int validatorIndex, KeyPair key)
    {
        _index = validatorIndex;
        _key = key;
    }

    /// <summary>A key no roster this node has committed holds yet: it follows as a replica until one does.</summary>
    public static ValidatorSigner Waiting(KeyPair key) => new(-1, key);

    /// <summary>The roster position; -1 while waiting to be added.</summary>
    public int ValidatorIndex => Volatile.Read(ref _index);

    public bool IsPlaced => ValidatorIndex >= 0;

    public Wire.PublicKey PublicKey => _key.Public;

    /// <summary>Governance added the key at this position (positions are never reused, so once is for good).</summary>
    public void Place(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (Interlocked.CompareExchange(ref _index, index, -1) != -1)
        {
            throw new InvalidOperationException($"the validator is placed at {ValidatorIndex} already");
        }
    }

    public byte[] Sign(byte[] signBytes) => SignatureSuites.Sign(_key.Private, signBytes);

    /// <summary>Signs this validator's calls to its peers with the same key (docs/PROTOCOL.md, "Signed calls").</summary>
    public CallSigner PeerCallSigner(string chainId) => CallSigner.ForValidator(chainId, ValidatorIndex, _key);
}
