using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Network;

/// <summary>The write-ahead record to and from the bytes the consensus journal keeps.</summary>
public static class WriteAheadCodec
{
    public static byte[] Encode(WriteAheadRecord record, int self)
    {
        var data = new WriteAheadRecordData
        {
            Height = record.Height,
            Round = record.Round,
            Step = (int)record.Step,
            LockedValue = Bytes(record.LockedValue),
            LockedRound = record.LockedRound,
            ValidValue = Bytes(record.ValidValue),
            ValidRound = record.ValidRound,
            LastSigned = record.LastSigned is { } last ? ConsensusWire.ToWire(last, null, self) : null,
        };
        data.ValidPolka.AddRange(record.ValidPolka.Select(ConsensusWire.ToWire));
        data.SignedThisHeight.AddRange(record.SignedThisHeight.Select(m => ConsensusWire.ToWire(m, null, self)));
        return data.ToByteArray();
    }

    /// <exception cref="InvalidDataException">The journal holds something that is not a record this node wrote.</exception>
    public static WriteAheadRecord Decode(byte[] bytes)
    {
        var data = WriteAheadRecordData.Parser.ParseFrom(bytes);
        return new WriteAheadRecord(
            data.Height,
            data.Round,
            (RoundStep)data.Step,
            Hash(data.LockedValue),
            data.LockedRound,
            Hash(data.ValidValue),
            data.ValidRound,
            data.ValidPolka.Select(v => ConsensusWire.FromWire(v) ?? throw Corrupt()).ToArray(),
            data.SignedThisHeight.Select(m => ConsensusWire.FromWire(m) ?? throw Corrupt()).ToArray(),
            data.LastSigned is null ? null : ConsensusWire.FromWire(data.LastSigned) ?? throw Corrupt());
    }

    private static InvalidDataException Corrupt() => new("the consensus journal holds a malformed write-ahead record");

    private static ByteString Bytes(Hash32? hash) => hash is { } h ? ByteString.CopyFrom(h.Span) : ByteString.Empty;

    private static Hash32? Hash(ByteString bytes) => bytes.IsEmpty ? null : new Hash32(bytes.Span);
}
