using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// The exact bytes that are signed, defined once (docs/PROTOCOL.md, "Signed bytes"):
/// <c>tag || 0x00 || chain_id (UTF-8) || 0x00 || payload</c>. The tag separates domains so that a
/// signature made for one purpose can never be replayed as another; the chain id so that it can never
/// be replayed on another network.
/// </summary>
public static class SignedBytes
{
    public const string TransactionTag = "ledger.v1/tx";
    public const string VoteTag = "ledger.v1/vote";
    public const string ProposalTag = "ledger.v1/proposal";
    public const string ReadTag = "ledger.v1/read";
    public const string PeerCallTag = "ledger.v1/peer";

    public static byte[] Compose(string tag, string chainId, ReadOnlySpan<byte> payload)
    {
        var result = new byte[ComposedLength(tag, chainId, payload)];
        Compose(result, tag, chainId, payload);
        return result;
    }

    private static int ComposedLength(string tag, string chainId, ReadOnlySpan<byte> payload) =>
        Encoding.UTF8.GetByteCount(tag) + 1 + Encoding.UTF8.GetByteCount(chainId) + 1 + payload.Length;

    /// <summary>Writes <c>tag || 0x00 || chain_id || 0x00 || payload</c> at the start of <paramref name="destination"/>, which is at least that long.</summary>
    private static void Compose(Span<byte> destination, string tag, string chainId, ReadOnlySpan<byte> payload)
    {
        var at = Encoding.UTF8.GetBytes(tag, destination);
        destination[at++] = 0;
        at += Encoding.UTF8.GetBytes(chainId, destination[at..]);
        destination[at++] = 0;
        payload.CopyTo(destination[at..]);
    }

    /// <summary>What a member signs for a transaction: the body bytes exactly as carried in the envelope.</summary>
    public static byte[] ForTransaction(string chainId, ReadOnlySpan<byte> bodyBytes) =>
        Compose(TransactionTag, chainId, bodyBytes);

    /// <summary>A transaction's id: SHA-256 of its signed bytes. The signature is not part of it, so a
    /// re-signed or re-encoded signature never makes a second transaction.</summary>
    public static Hash32 TransactionId(string chainId, ReadOnlySpan<byte> bodyBytes)
    {
        // Computed several times for each transaction on every node (intake, proposal check, store): composed in a
        // pooled buffer rather than a new one each time.
        var length = ComposedLength(TransactionTag, chainId, bodyBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Compose(buffer, TransactionTag, chainId, bodyBytes);
            return Hash32.Sha256(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// What a member signs to read commercial content: <c>method || 0x00 || organisation || 0x00 ||
    /// time_ms (int64 big-endian) || request</c> under <see cref="ReadTag"/>. The method is the full gRPC
    /// name ("/ledger.v1.Ledger/GetCertificate") and the request the message's protobuf encoding, so a
    /// signature for one question never answers another.
    /// </summary>
    public static byte[] ForRead(string chainId, string method, string organisationId, long timeMs, ReadOnlySpan<byte> request) =>
        Compose(ReadTag, chainId, CallPayload(method, organisationId, timeMs, request));

    /// <summary>
    /// What a validator signs to open a node-to-node call: the same layout as <see cref="ForRead"/> under
    /// <see cref="PeerCallTag"/>, with the validator's index in decimal in place of the organisation.
    /// </summary>
    public static byte[] ForPeerCall(string chainId, string method, int validatorIndex, long timeMs, ReadOnlySpan<byte> request) =>
        Compose(PeerCallTag, chainId, CallPayload(method, validatorIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), timeMs, request));

    private static byte[] CallPayload(string method, string caller, long timeMs, ReadOnlySpan<byte> request)
    {
        var methodBytes = Encoding.UTF8.GetBytes(method);
        var callerBytes = Encoding.UTF8.GetBytes(caller);
        var payload = new byte[methodBytes.Length + 1 + callerBytes.Length + 1 + sizeof(long) + request.Length];
        methodBytes.CopyTo(payload, 0);
        callerBytes.CopyTo(payload, methodBytes.Length + 1);
        var at = methodBytes.Length + 1 + callerBytes.Length + 1;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(at), timeMs);
        request.CopyTo(payload.AsSpan(at + sizeof(long)));
        return payload;
    }
}
