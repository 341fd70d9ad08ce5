namespace Ledger.Contracts.Crypto;

/// <summary>
/// Hash32 equality that also looks a hash up by its bytes: a walk over encoded tree nodes finds a child by the
/// 32 bytes inside its parent without making a <see cref="Hash32"/> (an array) for every child it passes.
/// </summary>
internal sealed class Hash32Comparer : IEqualityComparer<Hash32>, IAlternateEqualityComparer<ReadOnlySpan<byte>, Hash32>
{
    public static Hash32Comparer Instance { get; } = new();

    public bool Equals(Hash32 x, Hash32 y) => x.Equals(y);

    public int GetHashCode(Hash32 obj) => obj.GetHashCode();

    public bool Equals(ReadOnlySpan<byte> alternate, Hash32 other) => alternate.SequenceEqual(other.Span);

    // The same as Hash32.GetHashCode: the first four bytes.
    public int GetHashCode(ReadOnlySpan<byte> alternate) => BitConverter.ToInt32(alternate[..4]);

    public Hash32 Create(ReadOnlySpan<byte> alternate) => new(alternate);
}
