using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Node.Tests.Network;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>Signed transactions of the corridor's members for the bad-input node, built to break one rule each.</summary>
public sealed class Members(BadInputNode node)
{
    private long _nonce = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A body of <paramref name="organisation"/> naming <paramref name="key"/>, of the given kind, for this chain unless told.</summary>
    public TxBody Body(string organisation, PublicKey key, Action<TxBody> kind, string chainId = BadInputNode.ChainId)
    {
        var body = new TxBody
        {
            ChainId = chainId,
            SignerOrg = organisation,
            SignerKey = key,
            Nonce = (ulong)Interlocked.Increment(ref _nonce),
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        kind(body);
        return body;
    }

    /// <summary>Signed by the organisation's own key.</summary>
    public TxEnvelope Signed(string organisation, Action<TxBody> kind, string chainId = BadInputNode.ChainId)
    {
        var key = node.KeyOf(organisation);
        return TransactionSigner.Sign(chainId, Body(organisation, key.Public, kind, chainId), key);
    }

    /// <summary>Body bytes as given (they need not parse), signed over the transaction's signed bytes by <paramref name="key"/>.</summary>
    public static TxEnvelope SignedRaw(byte[] body, KeyPair key) => new()
    {
        Body = ByteString.CopyFrom(body),
        Signature = ByteString.CopyFrom(SignatureSuites.Sign(key.Private, SignedBytes.ForTransaction(BadInputNode.ChainId, body))),
    };

    public static Action<TxBody> Issue(string number) =>
        b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(number) };

    public static Action<TxBody> Issue(Certificate certificate) =>
        b => b.IssueCertificate = new IssueCertificate { Certificate = certificate };

    /// <summary>A valid certificate of cn-ccpit (the process tests' sample, on this chain's chamber).</summary>
    public static Certificate Certificate(string number) => CertificateTransactions.Certificate(number);

    public static string IdOf(string number) => $"{CorridorGenesis.CnChamber}/{number}";
}
