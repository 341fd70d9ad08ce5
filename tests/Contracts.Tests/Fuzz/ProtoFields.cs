namespace Ledger.Contracts.Tests.Fuzz;

/// <summary>
/// Where the fields of protobuf bytes are, at every level that parses as a message: a best-effort scan
/// (it stops at the first thing that is not protobuf) that lets the fuzzer tamper with tags and lengths.
/// </summary>
public static class ProtoFields
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLength = 2;
    private const int WireFixed32 = 5;
    private const int DepthMax = 8;

    /// <summary>A field: its tag's bytes, and for a length-delimited field its length prefix's bytes and payload.</summary>
    public sealed record Field(int TagOffset, int TagLength, int WireType, int LengthOffset, int LengthLength, int PayloadOffset, int PayloadLength);

    public static IReadOnlyList<Field> Scan(byte[] data)
    {
        var fields = new List<Field>();
        Scan(data, 0, data.Length, 0, fields);
        return fields;
    }

    private static bool Scan(byte[] data, int start, int end, int depth, List<Field> fields)
    {
        var found = new List<Field>();
        var position = start;
        while (position < end)
        {
            if (!TryVarint(data, position, end, out var tag, out var tagLength) || tag >> 3 == 0)
            {
                return false;
            }
            var wireType = (int)(tag & 7);
            var next = position + tagLength;
            switch (wireType)
            {
                case WireVarint:
                    if (!TryVarint(data, next, end, out _, out var varintLength))
                    {
                        return false;
                    }
                    found.Add(new Field(position, tagLength, wireType, -1, 0, next, varintLength));
                    position = next + varintLength;
                    break;
                case WireFixed64 or WireFixed32:
                    var size = wireType == WireFixed64 ? 8 : 4;
                    if (next + size > end)
                    {
                        return false;
                    }
                    found.Add(new Field(position, tagLength, wireType, -1, 0, next, size));
                    position = next + size;
                    break;
                case WireLength:
                    if (!TryVarint(data, next, end, out var length, out var lengthLength) || length > (ulong)(end - next - lengthLength))
                    {
                        return false;
                    }
                    var payload = next + lengthLength;
                    found.Add(new Field(position, tagLength, wireType, next, lengthLength, payload, (int)length));
                    if (depth < DepthMax && length > 0)
                    {
                        // A nested message if it scans as one; a string or bytes otherwise.
                        var nested = new List<Field>();
                        if (Scan(data, payload, payload + (int)length, depth + 1, nested))
                        {
                            found.AddRange(nested);
                        }
                    }
                    position = payload + (int)length;
                    break;
                default:
                    return false;
            }
        }
        fields.AddRange(found);
        return true;
    }

    public static bool TryVarint(byte[] data, int position, int end, out ulong value, out int length)
    {
        value = 0;
        for (length = 0; length < 10 && position + length < end; length++)
        {
            var b = data[position + length];
            value |= (ulong)(b & 0x7F) << (7 * length);
            if ((b & 0x80) == 0)
            {
                length++;
                return true;
            }
        }
        return false;
    }

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
