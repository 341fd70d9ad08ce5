using System.Buffers;
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
    // Unknown fields are dropped by the parse, so a body that holds one re-encodes to other bytes and is
    // refused as not canonical: nothing a validator cannot see is ever signed into a block.
    private static readonly MessageParser<TxBody> BodyParser = TxBody.Parser.WithDiscardUnknownFields(true);

    /// <summary>Decodes an envelope as received on the wire.</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> envelopeBytes, string chainId, Limits limits)
    {
        if (SizeRefusal(envelopeBytes.Length, limits) is { } tooLarge)
        {
            return new DecodeResult(null, tooLarge);
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
        if (SizeRefusal(envelope.CalculateSize(), limits) is { } tooLarge)
        {
            return new DecodeResult(null, tooLarge);
        }
        TxBody body;
        try
        {
            body = BodyParser.ParseFrom(envelope.Body);
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
        var encoding = CheckCanonical(body, envelope.Body.Span);
        if (encoding is not null)
        {
            return new DecodeResult(null, encoding);
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

    /// <summary>The first stateless rule, alone: an envelope of this many bytes is over <c>limits.tx_bytes_max</c>.</summary>
    public static Refusal? SizeRefusal(int envelopeBytes, Limits limits) =>
        envelopeBytes > limits.TxBytesMax
            ? new Refusal(RuleCatalog.TxTooLarge, $"the transaction has {envelopeBytes} bytes; at most {limits.TxBytesMax} are accepted")
            : null;

    /// <summary>
    /// The body must be the one encoding of its content (docs/PROTOCOL.md, "Canonical transaction bodies"),
    /// so that one transaction has one id and every node reads the signed bytes alike. The reference
    /// encoder writes exactly that form, so re-encoding the parsed body and comparing decides; the walk
    /// over the received bytes only names the field for the message.
    /// </summary>
    private static Refusal? CheckCanonical(TxBody body, ReadOnlySpan<byte> received)
    {
        var size = body.CalculateSize();
        if (size == received.Length)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var canonical = buffer.AsSpan(0, size);
                body.WriteTo(canonical);
                if (canonical.SequenceEqual(received))
                {
                    return null;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        var violation = CanonicalEncoding.FirstViolation(received, TxBody.Descriptor);
        var why = violation?.Message ?? FirstDifference(body.ToByteArray(), received);
        return new Refusal(RuleCatalog.TxNotCanonical, $"the body is not in canonical form: {why}");
    }

    private static string FirstDifference(ReadOnlySpan<byte> canonical, ReadOnlySpan<byte> received)
    {
        var at = canonical.CommonPrefixLength(received);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"it differs from its canonical encoding ({canonical.Length} bytes) from byte {at} on");
    }

    private static DecodeResult Refuse(string code, string message) => new(null, new Refusal(code, message));
}
