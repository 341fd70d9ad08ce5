namespace Ledger.Contracts.Crypto;

/// <summary>A 32-byte hash (SHA-256 unless said otherwise): transaction ids, block hashes, roots.</summary>
public readonly record struct Hash32
{
    public const int Size = 32;
    private readonly byte[]? _bytes;

    public Hash32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a hash has {Size} bytes, not {bytes.Length}", nameof(bytes));
        }
        _bytes = bytes.ToArray();
    }

    public static Hash32 Zero { get; } = new(new byte[Size]);

    public ReadOnlySpan<byte> Span => _bytes ?? Zero._bytes!;

    public byte[] ToArray() => Span.ToArray();

    public static Hash32 Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        Crypto.Sha256.Hash(data, digest);
        return new Hash32(digest);
    }

    public static bool TryParse(string? hex, out Hash32 hash)
    {
        hash = Zero;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }
        try
        {
            hash = new Hash32(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static Hash32 Parse(string hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException($"'{hex}' is not 64 hex characters");

    public bool Equals(Hash32 other) => Span.SequenceEqual(other.Span);

    public override int GetHashCode() => BitConverter.ToInt32(Span[..4]);

    /// <summary>Lower-case hex, as ids appear in documents and on the command line.</summary>
    public override string ToString() => Convert.ToHexStringLower(Span);
}
