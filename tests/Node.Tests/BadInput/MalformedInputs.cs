namespace Ledger.Node.Tests.BadInput;

/// <summary>Byte strings that no protobuf message parses from, whatever its fields, by what is wrong with them.</summary>
public static class MalformedInputs
{
    private const int NestingDepth = 200;

    public static IReadOnlyList<string> Names { get; } = ["garbage", "truncated", "overlong-varint", "deep-nesting"];

    public static byte[] Bytes(string name) => name switch
    {
        // Field 1 with wire type 7, which does not exist.
        "garbage" => [0x0F, 0xDE, 0xAD, 0xBE, 0xEF],
        // Field 1, length-delimited, announcing 100 bytes and carrying 3.
        "truncated" => [0x0A, 0x64, 0x01, 0x02, 0x03],
        // A varint of eleven bytes: at most ten are allowed.
        "overlong-varint" => [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        // Groups of unknown field 15 nested past protobuf's recursion limit (100).
        "deep-nesting" => [.. Enumerable.Repeat((byte)0x7B, NestingDepth), .. Enumerable.Repeat((byte)0x7C, NestingDepth)],
        // Field 1 as a string holding C3 28, which is not UTF-8 (for requests whose field 1 is a string).
        "invalid-utf8" => [0x0A, 0x02, 0xC3, 0x28],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such input"),
    };
}
