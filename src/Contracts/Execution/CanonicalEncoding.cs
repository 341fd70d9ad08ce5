using System.Globalization;
using Google.Protobuf.Reflection;

namespace Ledger.Contracts.Execution;

/// <summary>
/// Walks protobuf bytes against a message's descriptor and names the first field that breaks the canonical
/// form of docs/PROTOCOL.md, "Canonical transaction bodies": fields in increasing number order, each
/// singular field at most once, no unknown field, no default value written for a field without presence,
/// at most one member of a oneof, repeated scalars as one packed run, every varint and length in its
/// fewest bytes.
/// </summary>
/// <remarks>
/// The decoder decides by re-encoding the parsed body and comparing bytes (<see cref="TransactionDecoder"/>),
/// which cannot miss a case; this walk only says which field and why, for the refusal's message, so it runs
/// on refused bodies alone. It never throws on any input: bytes it cannot read are a violation too.
/// </remarks>
public static class CanonicalEncoding
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLength = 2;
    private const int WireFixed32 = 5;
    // Protobuf's own recursion limit: deeper input never parses, so it is never walked.
    private const int DepthMax = 100;
    private const ulong FieldNumberMax = (1 << 29) - 1;

    /// <summary>The first violation in byte order, or null when the bytes are canonical as far as this walk sees.</summary>
    public static CanonicalViolation? FirstViolation(ReadOnlySpan<byte> bytes, MessageDescriptor descriptor) =>
        Walk(bytes, descriptor, [], 0);

    private static CanonicalViolation? Walk(ReadOnlySpan<byte> bytes, MessageDescriptor descriptor, List<string> path, int depth)
    {
        if (depth > DepthMax)
        {
            return Unreadable(path, "nests deeper than 100 messages");
        }
        var position = 0;
        FieldDescriptor? previous = null;
        var occurrences = 0;
        var oneofMembers = new List<FieldDescriptor>();
        while (position < bytes.Length)
        {
            var tagStart = position;
            if (!TryVarint(bytes, ref position, out var tag) || tag >> 3 is 0 or > FieldNumberMax)
            {
                return Unreadable(path, Invariant($"has an unreadable tag at byte {tagStart}"));
            }
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            var field = descriptor.FindFieldByNumber(number);
            if (field is null)
            {
                return Violation(path, null, number, $"is not a field of {descriptor.FullName}");
            }
            if (!IsFewestBytes(bytes[tagStart..position], tag))
            {
                return Violation(path, field, number, "has a tag that is not written in its fewest bytes");
            }
            if (previous is not null && number < previous.FieldNumber)
            {
                return Violation(path, field, number,
                    Invariant($"comes after field {previous.FieldNumber} ({previous.Name}): fields are written in increasing number order"));
            }
            if (previous is not null && number == previous.FieldNumber)
            {
                if (!field.IsRepeated)
                {
                    return Violation(path, field, number, "appears twice");
                }
                if (IsPacked(field))
                {
                    return Violation(path, field, number, "appears twice: a packed list is written as one run");
                }
                occurrences++;
            }
            else
            {
                occurrences = 0;
            }
            if (field.RealContainingOneof is { } oneof)
            {
                var other = oneofMembers.FirstOrDefault(f => f.RealContainingOneof == oneof && f.FieldNumber != number);
                if (other is not null)
                {
                    return Violation(path, field, number,
                        Invariant($"is set beside field {other.FieldNumber} ({other.Name}): oneof {oneof.Name} holds one member at most"));
                }
                oneofMembers.Add(field);
            }
            previous = field;
            var refusal = Value(bytes, ref position, field, wireType, path, occurrences, depth);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        return null;
    }

    /// <summary>Reads one field's value after its tag and checks it.</summary>
    private static CanonicalViolation? Value(ReadOnlySpan<byte> bytes, ref int position, FieldDescriptor field, int wireType,
        List<string> path, int occurrence, int depth)
    {
        var expected = WireTypeOf(field.FieldType);
        var packed = IsPacked(field);
        if (packed && wireType == expected)
        {
            return Violation(path, field, field.FieldNumber, "is not packed: a repeated scalar is written as one packed run");
        }
        if (wireType != (packed ? WireLength : expected) || expected < 0)
        {
            return Violation(path, field, field.FieldNumber,
                Invariant($"has wire type {wireType}; a {Spell(field.FieldType)} field is written with wire type {(packed ? WireLength : expected)}"));
        }
        var omitsDefault = !field.IsRepeated && !field.HasPresence;
        switch (wireType)
        {
            case WireVarint:
                return Scalar(bytes, ref position, field, omitsDefault, path);
            case WireFixed64 or WireFixed32:
                {
                    var size = wireType == WireFixed64 ? 8 : 4;
                    if (bytes.Length - position < size)
                    {
                        return Violation(path, field, field.FieldNumber, "is cut short");
                    }
                    var zero = !bytes.Slice(position, size).ContainsAnyExcept((byte)0);
                    position += size;
                    return omitsDefault && zero ? Default(path, field) : null;
                }
            default:
                {
                    var lengthStart = position;
                    if (!TryVarint(bytes, ref position, out var length) || length > (ulong)(bytes.Length - position))
                    {
                        return Violation(path, field, field.FieldNumber, "has a length that runs past its message");
                    }
                    if (!IsFewestBytes(bytes[lengthStart..position], length))
                    {
                        return Violation(path, field, field.FieldNumber, "has a length that is not written in its fewest bytes");
                    }
                    var payload = bytes.Slice(position, (int)length);
                    position += (int)length;
                    if (packed)
                    {
                        return Packed(payload, field, path);
                    }
                    if (field.FieldType == FieldType.Message)
                    {
                        path.Add(field.IsRepeated ? Invariant($"{field.Name}[{occurrence}]") : field.Name);
                        var inner = Walk(payload, field.MessageType, path, depth + 1);
                        path.RemoveAt(path.Count - 1);
                        return inner;
                    }
                    return omitsDefault && length == 0 ? Default(path, field) : null;
                }
        }
    }

    private static CanonicalViolation? Packed(ReadOnlySpan<byte> payload, FieldDescriptor field, List<string> path)
    {
        if (payload.IsEmpty)
        {
            return Violation(path, field, field.FieldNumber, "is an empty packed run: an empty list is left out");
        }
        var expected = WireTypeOf(field.FieldType);
        if (expected != WireVarint)
        {
            var size = expected == WireFixed64 ? 8 : 4;
            return payload.Length % size == 0 ? null : Violation(path, field, field.FieldNumber, "is a packed run cut short");
        }
        var position = 0;
        while (position < payload.Length)
        {
            var refusal = Scalar(payload, ref position, field, omitsDefault: false, path);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        return null;
    }

    /// <summary>One varint: in its fewest bytes, within its type's range, and not the default where that is left out.</summary>
    private static CanonicalViolation? Scalar(ReadOnlySpan<byte> bytes, ref int position, FieldDescriptor field, bool omitsDefault, List<string> path)
    {
        var start = position;
        if (!TryVarint(bytes, ref position, out var value))
        {
            return Violation(path, field, field.FieldNumber, "holds an unreadable varint");
        }
        if (!IsFewestBytes(bytes[start..position], value))
        {
            return Violation(path, field, field.FieldNumber, "is not written in its fewest bytes");
        }
        var inRange = field.FieldType switch
        {
            FieldType.Bool => value <= 1,
            // Negative int32 and enum values are written sign-extended to 64 bits, as 10 bytes.
            FieldType.Int32 or FieldType.Enum => value == unchecked((ulong)(long)(int)value),
            FieldType.UInt32 or FieldType.SInt32 => value <= uint.MaxValue,
            _ => true,
        };
        if (!inRange)
        {
            return Violation(path, field, field.FieldNumber, Invariant($"holds {value}, which is not a canonical {Spell(field.FieldType)} value"));
        }
        return omitsDefault && value == 0 ? Default(path, field) : null;
    }

    private static CanonicalViolation Default(List<string> path, FieldDescriptor field)
    {
        var value = field.FieldType switch
        {
            FieldType.Bool => "false",
            FieldType.String or FieldType.Bytes => "empty",
            _ => "0",
        };
        return Violation(path, field, field.FieldNumber, $"is written with its default value ({value}): a default value is left out");
    }

    private static CanonicalViolation Violation(List<string> path, FieldDescriptor? field, int number, string problem)
    {
        var named = field is null ? Invariant($"field {number}") : Invariant($"field {number} ({field.Name})");
        var where = path.Count == 0 ? "" : " of " + string.Join('.', path);
        var segment = field?.Name ?? number.ToString(CultureInfo.InvariantCulture);
        return new CanonicalViolation(string.Join('.', path.Append(segment)), $"{named}{where} {problem}");
    }

    /// <summary>A violation of the message itself rather than of one of its fields: bytes that do not read.</summary>
    private static CanonicalViolation Unreadable(List<string> path, string problem)
    {
        var message = path.Count == 0 ? "the body" : string.Join('.', path);
        return new CanonicalViolation(string.Join('.', path), $"{message} {problem}");
    }

    // The descriptor says packed for any repeated field of a proto3 file; only scalars can be.
    private static bool IsPacked(FieldDescriptor field) =>
        field.IsRepeated && field.IsPacked && WireTypeOf(field.FieldType) is WireVarint or WireFixed32 or WireFixed64;

    private static int WireTypeOf(FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64 or FieldType.SInt32 or FieldType.SInt64
            or FieldType.Bool or FieldType.Enum => WireVarint,
        FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => WireFixed64,
        FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => WireFixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireLength,
        // Groups: proto3 has none, so no canonical body holds one.
        _ => -1,
    };

    private static string Spell(FieldType type) => type.ToString().ToLowerInvariant();

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the bytes are exactly the shortest varint of the value (no padding, no bits past 64).</summary>
    private static bool IsFewestBytes(ReadOnlySpan<byte> written, ulong value)
    {
        Span<byte> shortest = stackalloc byte[10];
        var length = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            shortest[length++] = value == 0 ? b : (byte)(b | 0x80);
        }
        while (value != 0);
        return written.SequenceEqual(shortest[..length]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
