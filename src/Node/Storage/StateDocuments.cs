using System.Text;
using Ledger.Contracts.State;

namespace Ledger.Node.Storage;

/// <summary>
/// Where the state's values live in the database (docs/ARCHITECTURE.md, "State documents"). A certificate's public
/// status is written whenever its record is (<c>LedgerState.Put</c>), and so is a consignment's route verdict: each
/// pair shares its record's document. A document is filed in the <see cref="Buckets"/> of the SHA-256 of its id.
/// </summary>
internal static class StateDocuments
{
    /// <summary>A document's field: its id.</summary>
    public const string IdField = "k";

    /// <summary>The field of a key that names its own document, and of a record in a shared one.</summary>
    public const string ValueField = "v";

    /// <summary>The field of the public half of a pair: the certificate's status, the consignment's verdict.</summary>
    public const string PublicField = "p";

    private static readonly (string Public, string Record)[] Pairs =
    [
        (StateKeys.CertificateStatusPrefix, StateKeys.CertificatePrefix),
        (StateKeys.RouteVerdictPrefix, StateKeys.ConsignmentPrefix),
    ];

    /// <summary>Where each change's key lives, in the order of the changes.</summary>
    public static (StateDocument Document, string Field)[] Locate(IReadOnlyList<KeyValuePair<string, byte[]?>> changes) =>
        [.. changes.Select(change => Locate(change.Key))];

    /// <summary>The document holding <paramref name="key"/>'s value, and its field there.</summary>
    public static (StateDocument Document, string Field) Locate(string key)
    {
        foreach (var (publicPrefix, recordPrefix) in Pairs)
        {
            if (key.StartsWith(publicPrefix, StringComparison.Ordinal))
            {
                return (Of(string.Concat(recordPrefix, key.AsSpan(publicPrefix.Length))), PublicField);
            }
        }
        return (Of(key), ValueField);
    }

    public static StateDocument Of(string documentId)
    {
        Span<byte> hash = stackalloc byte[Contracts.Crypto.Sha256.DigestBytes];
        var length = Encoding.UTF8.GetByteCount(documentId);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(documentId, utf8);
        Contracts.Crypto.Sha256.Hash(utf8, hash);
        var (bucket, collection) = Buckets.Of(hash);
        return new StateDocument(documentId, bucket, collection);
    }

    /// <summary>Every state key whose value the document may hold, the document's own key first.</summary>
    public static IReadOnlyList<string> KeysOf(string documentId)
    {
        foreach (var (publicPrefix, recordPrefix) in Pairs)
        {
            if (documentId.StartsWith(recordPrefix, StringComparison.Ordinal))
            {
                return [documentId, string.Concat(publicPrefix, documentId.AsSpan(recordPrefix.Length))];
            }
        }
        return [documentId];
    }
}

/// <summary>A state document: its id, the bucket it is filed under and the collection that holds the bucket.</summary>
internal readonly record struct StateDocument(string Id, long Bucket, int Shard);
