using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// Signs and checks transactions as docs/PROTOCOL.md defines: the body is serialised once, and those
/// exact bytes are carried in the envelope, signed (through <see cref="SignedBytes.ForTransaction"/>)
/// and hashed into the id. Nothing is ever re-serialised for checking.
/// </summary>
public static class TransactionSigner
{
    /// <summary>Serialises the body, signs it for the chain and returns the envelope.</summary>
    /// <exception cref="ArgumentException">
    /// The body names another chain or another signing key: such an envelope could never be accepted.
    /// </exception>
    public static TxEnvelope Sign(string chainId, TxBody body, KeyPair signer)
    {
        if (body.ChainId != chainId)
        {
            throw new ArgumentException($"the body is for chain '{body.ChainId}', not '{chainId}'", nameof(body));
        }
        if (!signer.Public.Equals(body.SignerKey))
        {
            throw new ArgumentException("the body's signer_key is not the public key of the signing pair", nameof(body));
        }
        var bodyBytes = body.ToByteArray();
        var signature = SignatureSuites.Sign(signer.Private, SignedBytes.ForTransaction(chainId, bodyBytes));
        return new TxEnvelope
        {
            Body = ByteString.CopyFrom(bodyBytes),
            Signature = ByteString.CopyFrom(signature),
        };
    }

    /// <summary>The transaction id: SHA-256 of the signed bytes of the envelope's body bytes.</summary>
    public static Hash32 IdOf(string chainId, TxEnvelope envelope) =>
        SignedBytes.TransactionId(chainId, envelope.Body.Span);

    /// <summary>
    /// True if the body parses and the signature verifies with the body's signer_key over the signed bytes
    /// for this chain; then <paramref name="body"/> is the parsed body, otherwise null. Whether the key
    /// may sign for signer_org, and the body's own chain_id, are for the validators to check.
    /// </summary>
    public static bool VerifySignature(string chainId, TxEnvelope envelope, [NotNullWhen(true)] out TxBody? body)
    {
        body = null;
        TxBody parsed;
        try
        {
            parsed = TxBody.Parser.ParseFrom(envelope.Body);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        if (!SignatureSuites.Verify(parsed.SignerKey, SignedBytes.ForTransaction(chainId, envelope.Body.Span), envelope.Signature.Span))
        {
            return false;
        }
        body = parsed;
        return true;
    }
}
