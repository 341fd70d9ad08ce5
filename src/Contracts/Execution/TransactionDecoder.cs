using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// The stateless rules, checked once per transaction before it enters a mempool or a block: size,
/// decoding, network, shape limits and the signature. What passes here needs no second signature check.
/// </summary>
public static class TransactionDecoder
{
    /// <summary>Decodes an envelope as received on the wire.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> envelopeBytes, string chainId, Limits limits)
    {
        if (envelopeBytes.Length > limits.TxBytesMax)
        {
            return Refuse(RuleCatalog.TxTooLarge, $"the transaction has {envelopeBytes.Length} bytes; at most {limits.TxBytesMax} are accepted");
        }
        TxEnvelope envelope;
        try
        {
            envelope = TxEnvelope.Parser.ParseFrom(envelopeBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Refuse(RuleCatalog.TxMalformed, $"the envelope is not a valid ledger.v1.TxEnvelope: {e.Message}");
        }
        return Decode(envelope, chainId, limits);
    }

    /// <summary>Decodes an envelope already parsed from a block or a request.</summary>
    public static DecodeResult Decode(TxEnvelope envelope, string chainId, Limits limits)
    {
        if (envelope.CalculateSize() > limits.TxBytesMax)
        {
            return Refuse(RuleCatalog.TxTooLarge, $"the transaction has {envelope.CalculateSize()} bytes; at most {limits.TxBytesMax} are accepted");
        }
        TxBody body;
        try
        {
            body = TxBody.Parser.ParseFrom(envelope.Body);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Refuse(RuleCatalog.TxMalformed, $"body is not a valid ledger.v1.TxBody: {e.Message}");
        }
        if (!string.Equals(body.ChainId, chainId, StringComparison.Ordinal))
        {
            return Refuse(RuleCatalog.WrongChain, $"chain_id '{body.ChainId}' names another network; this is '{chainId}'");
        }
        if (body.KindCase == TxBody.KindOneofCase.None)
        {
            return Refuse(RuleCatalog.TxKindUnknown, "the body carries no transaction kind this ledger knows (is the client newer than the node?)");
        }
        var shape = MessageLimits.Check(body, limits);
        if (shape is not null)
        {
            return new DecodeResult(null, shape);
        }
        if (body.SignerKey is null || body.SignerKey.Suite == KeySuite.Unspecified || body.SignerOrg.Length == 0)
        {
            return Refuse(RuleCatalog.TxMalformed, "signer_org and signer_key (with its suite) are required");
        }
        var signedBytes = SignedBytes.ForTransaction(chainId, envelope.Body.Span);
        if (!SignatureSuites.Verify(body.SignerKey, signedBytes, envelope.Signature.Span))
        {
            return Refuse(RuleCatalog.SignatureInvalid,
                $"signature does not verify with the {body.SignerKey.Suite} signer_key over the transaction's signed bytes");
        }
        return new DecodeResult(new DecodedTransaction(Hash32.Sha256(signedBytes), body, envelope), null);
    }

    private static DecodeResult Refuse(string code, string message) => new(null, new Refusal(code, message));
}
