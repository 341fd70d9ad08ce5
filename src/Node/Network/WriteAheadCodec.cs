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

    /// <summary>
    /// The most bytes <see cref="Encode"/> returns for a driver of <paramref name="validatorCount"/> validators that
    /// keeps <paramref name="ownMessagesMax"/> own messages. The driver bounds the record's lists (own messages by
    /// ConsensusConfig.RetransmitMessagesMax, plus LastSigned; the polka by one prevote per validator) and every
    /// signature (SignatureSuites.SignatureBytesMax); proposals travel without their block. So the worst case is
    /// the record with full lists, every own message a proposal (longer than a vote), and every number at its
    /// longest varint: the maximum, or -1 for the int32s that may hold it.
    /// </summary>
    public static int EncodedBytesMax(int validatorCount, int ownMessagesMax)
    {
        var signature = new byte[SignatureSuites.SignatureBytesMax];
        var value = new Hash32(Enumerable.Repeat((byte)0xFF, Hash32.Size).ToArray());
        var proposal = new SignedProposal(ulong.MaxValue, int.MaxValue, value, -1, int.MaxValue, signature);
        var prevote = new SignedVote(VoteType.Prevote, ulong.MaxValue, int.MaxValue, value, int.MaxValue, signature);
        var record = new WriteAheadRecord(
            ulong.MaxValue, int.MaxValue, RoundStep.Commit, value, -1, value, -1,
            Enumerable.Repeat(prevote, validatorCount).ToArray(),
            Enumerable.Repeat<ConsensusMessage>(proposal, ownMessagesMax).ToArray(),
            proposal);
        return Encode(record, int.MaxValue).Length;
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
