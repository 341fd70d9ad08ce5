using LiteDB;

namespace Ledger.Node.Storage;

/// <summary>
/// The consensus engine's write-ahead record (CONSENSUS-NOTES.md, "Durability"): saved before a vote or
/// proposal leaves the node, durable when <see cref="Save"/> returns. One record per height, the latest
/// replacing the earlier; only the last <see cref="HeightsKept"/> heights are kept.
/// </summary>
public sealed class ConsensusJournal
{
    /// <summary>The current height and the one before it: enough to re-send the last precommit.</summary>
    public const int HeightsKept = 2;

    /// <summary>
    /// A record is a few KiB (WriteAheadCodec.EncodedBytesMax: about 5 KiB with 10 validators). The host checks
    /// its validator set against this at start and refuses a larger record without calling <see cref="Save"/>
    /// (WriteAheadGate), so the refusal here only guards the journal against a caller's bug.
    /// </summary>
    public const int RecordBytesMax = 64 * 1024;

    private readonly NodeDatabase _database;
    private readonly ILiteCollection<BsonDocument> _records;

    public ConsensusJournal(NodeDatabase database)
    {
        _database = database;
        _records = database.Collection(StorageCollections.Journal);
    }

    public void Save(ulong height, byte[] record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Length > RecordBytesMax)
        {
            throw new ArgumentException($"a consensus record has at most {RecordBytesMax} bytes, not {record.Length}", nameof(record));
        }
        var id = checked((long)height);
        _database.Write(_ =>
        {
            _records.Upsert(new BsonDocument { ["_id"] = id, ["r"] = record });
            if (id >= HeightsKept)
            {
                // Parameterised: the expression is parsed once per call, never built from the value.
                _records.DeleteMany(BsonExpression.Create("_id <= @0", new BsonValue(id - HeightsKept)));
            }
        });
    }

    /// <summary>The record of the highest height saved, or null on a fresh node.</summary>
    public ConsensusRecord? Load() => _database.Read(() =>
    {
        if (_records.Count() == 0)
        {
            return null;
        }
        var height = _records.Max();
        var document = _records.FindById(height) ?? throw new StorageException($"consensus record {height} vanished while read");
        return new ConsensusRecord(checked((ulong)height.AsInt64), document["r"].AsBinary);
    });
}
