using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Ledger.Contracts.Blocks;

/// <summary>
/// Writes the exact bytes that are hashed (docs/PROTOCOL.md, "Canonical encoding"): integers big-endian
/// and fixed-width, strings UTF-8 with a length prefix, hashes as their 32 bytes. Protobuf is never
/// hashed, because its encoding is not canonical.
/// </summary>
public sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public CanonicalWriter U8(byte value)
    {
        _buffer.Write([value]);
        return this;
    }

    public CanonicalWriter U16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public CanonicalWriter U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public CanonicalWriter I32(int value) => U32(unchecked((uint)value));

    public CanonicalWriter U64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public CanonicalWriter I64(long value) => U64(unchecked((ulong)value));

    /// <summary>Exactly 32 bytes; an empty value (absent hash) is written as 32 zero bytes.</summary>
    public CanonicalWriter Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.IsEmpty)
        {
            _buffer.Write(new byte[32].AsSpan());
            return this;
        }
        if (hash.Length != 32)
        {
            throw new ArgumentException($"a hash has 32 bytes, not {hash.Length}", nameof(hash));
        }
        _buffer.Write(hash);
        return this;
    }

    /// <summary>A u32 length, then the bytes.</summary>
    public CanonicalWriter Bytes(ReadOnlySpan<byte> value)
    {
        U32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A u32 length, then the UTF-8 bytes.</summary>
    public CanonicalWriter String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
