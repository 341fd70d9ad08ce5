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

    public static byte[] Compose(string tag, string chainId, ReadOnlySpan<byte> payload)
    {
        var tagBytes = Encoding.UTF8.GetBytes(tag);
        var chainBytes = Encoding.UTF8.GetBytes(chainId);
        var result = new byte[tagBytes.Length + 1 + chainBytes.Length + 1 + payload.Length];
        tagBytes.CopyTo(result, 0);
        chainBytes.CopyTo(result, tagBytes.Length + 1);
        payload.CopyTo(result.AsSpan(tagBytes.Length + 1 + chainBytes.Length + 1));
        return result;
    }

    /// <summary>What a member signs for a transaction: the body bytes exactly as carried in the envelope.</summary>
    public static byte[] ForTransaction(string chainId, ReadOnlySpan<byte> bodyBytes) =>
        Compose(TransactionTag, chainId, bodyBytes);

    /// <summary>A transaction's id: SHA-256 of its signed bytes. The signature is not part of it, so a
    /// re-signed or re-encoded signature never makes a second transaction.</summary>
    public static Hash32 TransactionId(string chainId, ReadOnlySpan<byte> bodyBytes) =>
        Hash32.Sha256(ForTransaction(chainId, bodyBytes));
}
