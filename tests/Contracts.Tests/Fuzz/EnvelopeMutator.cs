using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Fuzz;

/// <summary>
/// Seeded, coverage-free mutations of corpus envelopes: bit flips, byte changes, inserts, deletes,
/// truncation, splicing of two envelopes, tampered length prefixes and field numbers, duplicated fields
/// and deep nesting. Each input is one to four mutations of the whole envelope, or of its body alone
/// (then wrapped again, and half the time signed again so that the decoder looks past the signature).
/// </summary>
public sealed class EnvelopeMutator(IReadOnlyList<DecoderCorpus.Entry> corpus, Random random)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0xC3];
    private static readonly ulong[] InterestingLengths = [0, 1, 31, 32, 33, 127, 128, 16_383, 65_537, int.MaxValue, uint.MaxValue, ulong.MaxValue];

    public (byte[] Input, string Steps) Next()
    {
        var entry = corpus[random.Next(corpus.Count)];
        var steps = new List<string> { $"{entry.Kind}/{entry.Suite}" };
        var wholeEnvelope = random.Next(2) == 0;
        var data = wholeEnvelope ? entry.Envelope : entry.Body;
        steps.Add(wholeEnvelope ? "envelope" : "body");
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var (mutated, step) = Mutate(data);
            data = mutated;
            steps.Add(step);
        }
        if (wholeEnvelope)
        {
            return (data, string.Join(" > ", steps));
        }
        var resign = random.Next(2) == 0;
        steps.Add(resign ? "re-signed" : "old signature");
        var signature = resign
            ? SignatureSuites.Sign(entry.Key.Private, SignedBytes.ForTransaction(TestNetwork.ChainId, data))
            : TxEnvelope.Parser.ParseFrom(entry.Envelope).Signature.ToByteArray();
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(data), Signature = ByteString.CopyFrom(signature) };
        return (envelope.ToByteArray(), string.Join(" > ", steps));
    }

    private (byte[] Data, string Step) Mutate(byte[] data)
    {
        switch (random.Next(10))
        {
            case 0 when data.Length > 0:
                {
                    var at = random.Next(data.Length);
                    var bit = random.Next(8);
                    return (With(data, at, (byte)(data[at] ^ (1 << bit))), $"flip bit {bit} of byte {at}");
                }
            case 1 when data.Length > 0:
                {
                    var at = random.Next(data.Length);
                    var value = Interesting[random.Next(Interesting.Length)];
                    return (With(data, at, value), $"byte {at} = {value:x2}");
                }
            case 2:
                {
                    var at = random.Next(data.Length + 1);
                    var inserted = new byte[1 + random.Next(8)];
                    random.NextBytes(inserted);
                    return ([.. data[..at], .. inserted, .. data[at..]], $"insert {Convert.ToHexStringLower(inserted)} at {at}");
                }
            case 3 when data.Length > 0:
                {
                    var at = random.Next(data.Length);
                    var length = 1 + random.Next(Math.Min(16, data.Length - at));
                    return ([.. data[..at], .. data[(at + length)..]], $"delete {length} at {at}");
                }
            case 4:
                {
                    var length = random.Next(data.Length + 1);
                    return (data[..length], $"truncate to {length}");
                }
            case 5:
                {
                    var other = corpus[random.Next(corpus.Count)].Envelope;
                    var cut = random.Next(data.Length + 1);
                    var from = random.Next(other.Length + 1);
                    return ([.. data[..cut], .. other[from..]], $"splice at {cut} with another envelope from {from}");
                }
            case 6:
                return TamperLength(data);
            case 7:
                return TamperFieldNumber(data);
            case 8:
                return DuplicateField(data);
            default:
                {
                    var depth = 1 + random.Next(150);
                    // Unknown group field 15, nested: protobuf's recursion limit is 100.
                    return ([.. data, .. Enumerable.Repeat((byte)0x7B, depth), .. Enumerable.Repeat((byte)0x7C, depth)], $"append {depth} nested groups");
                }
        }
    }

    private (byte[] Data, string Step) TamperLength(byte[] data)
    {
        var fields = ProtoFields.Scan(data).Where(f => f.LengthOffset >= 0).ToArray();
        if (fields.Length == 0)
        {
            return (data, "no length to tamper with");
        }
        var field = fields[random.Next(fields.Length)];
        var length = random.Next(3) switch
        {
            0 => InterestingLengths[random.Next(InterestingLengths.Length)],
            1 => (ulong)Math.Max(0, field.PayloadLength + random.Next(-3, 4)),
            _ => (ulong)random.Next(field.PayloadLength + 64),
        };
        var prefix = ProtoFields.Varint(length);
        return ([.. data[..field.LengthOffset], .. prefix, .. data[(field.LengthOffset + field.LengthLength)..]],
            $"length at {field.LengthOffset} {field.PayloadLength} -> {length}");
    }

    private (byte[] Data, string Step) TamperFieldNumber(byte[] data)
    {
        var fields = ProtoFields.Scan(data);
        if (fields.Count == 0)
        {
            return (data, "no tag to tamper with");
        }
        var field = fields[random.Next(fields.Count)];
        ProtoFields.TryVarint(data, field.TagOffset, data.Length, out var tag, out _);
        var number = random.Next(3) switch
        {
            0 => (ulong)random.Next(0, 64),
            1 => (ulong)random.Next(1, 1 << 29),
            _ => (tag >> 3) + 1,
        };
        // Sometimes the wire type too, to a valid or an invalid one.
        var wireType = random.Next(4) == 0 ? (ulong)random.Next(8) : tag & 7;
        var newTag = ProtoFields.Varint((number << 3) | wireType);
        return ([.. data[..field.TagOffset], .. newTag, .. data[(field.TagOffset + field.TagLength)..]],
            $"tag at {field.TagOffset} {tag >> 3}/{tag & 7} -> {number}/{wireType}");
    }

    private (byte[] Data, string Step) DuplicateField(byte[] data)
    {
        var fields = ProtoFields.Scan(data);
        if (fields.Count == 0)
        {
            return (data, "no field to duplicate");
        }
        var field = fields[random.Next(fields.Count)];
        var end = field.PayloadOffset + field.PayloadLength;
        // The copy goes right after the original, inside the same message; enclosing lengths are left stale on purpose.
        return ([.. data[..end], .. data[field.TagOffset..end], .. data[end..]], $"duplicate field at {field.TagOffset}");
    }

    private static byte[] With(byte[] data, int at, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[at] = value;
        return copy;
    }
}
