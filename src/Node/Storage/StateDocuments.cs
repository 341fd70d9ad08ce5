using Ledger.Contracts.State;

namespace Ledger.Node.Storage;

/// <summary>
/// Which LiteDB document of the <c>state</c> collection holds a state key's value, and under which field. A
/// certificate's public status is written whenever its record is (<c>LedgerState.Put</c>), and so is a
/// consignment's route verdict: each pair shares its record's document, one index insert instead of two
/// (docs/ARCHITECTURE.md, "Storage"). Every other key is a document of its own.
/// </summary>
internal static class StateDocuments
{
    /// <summary>The field of a key that names its own document, and of a record in a shared one.</summary>
    public const string ValueField = "v";

    /// <summary>The field of the public half of a pair: the certificate's status, the consignment's verdict.</summary>
    public const string PublicField = "p";

    private static readonly (string Public, string Record)[] Pairs =
    [
        (StateKeys.CertificateStatusPrefix, StateKeys.CertificatePrefix),
        (StateKeys.RouteVerdictPrefix, StateKeys.ConsignmentPrefix),
    ];

    public static (string DocumentId, string Field) Locate(string key)
    {
        foreach (var (publicPrefix, recordPrefix) in Pairs)
        {
            if (key.StartsWith(publicPrefix, StringComparison.Ordinal))
            {
                return (string.Concat(recordPrefix, key.AsSpan(publicPrefix.Length)), PublicField);
            }
        }
        return (key, ValueField);
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
