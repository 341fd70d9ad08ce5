using System.Buffers.Binary;
using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The layout state documents and tree pages share (docs/ARCHITECTURE.md, "State documents"): a bucket is a LiteDB
/// document whose <c>_id</c> is the first 8 bytes of a SHA-256 as a number, in one of <see cref="Collections"/>
/// collections chosen by the 9th byte, holding in <see cref="EntriesField"/> every entry filed under it (almost
/// always one). LiteDB's skip-list index materialises each key an insert passes, so numeric keys in smaller
/// indexes cost less per insert than string or binary keys in one large index.
/// </summary>
internal static class Buckets
{
    /// <summary>Collections each kind of entry is spread over.</summary>
    public const int Collections = 16;

    /// <summary>A bucket's field: the array of the entries filed under it.</summary>
    public const string EntriesField = "e";

    /// <summary>The bucket and collection of a SHA-256 digest (at least 9 bytes of it).</summary>
    public static (long Bucket, int Collection) Of(ReadOnlySpan<byte> digest) =>
        (BinaryPrimitives.ReadInt64BigEndian(digest), digest[sizeof(long)] % Collections);

    /// <summary>The collections named <paramref name="prefix"/><c>00</c> … <c>0f</c>.</summary>
    public static ILiteCollection<BsonDocument>[] Open(NodeDatabase database, string prefix) =>
        [.. Enumerable.Range(0, Collections).Select(c => database.Collection($"{prefix}{c:x2}"))];

    public static IEnumerable<BsonDocument> Entries(BsonDocument? bucket) =>
        bucket is null ? [] : bucket[EntriesField].AsArray.Select(entry => entry.AsDocument);

    public static BsonDocument Bucket(long bucket, IEnumerable<BsonDocument> entries) =>
        new() { ["_id"] = bucket, [EntriesField] = new BsonArray(entries) };
}
