using System.Numerics;

namespace Ledger.Node.Storage;

/// <summary>
/// The buckets of the committed state's documents (<see cref="StateDocuments"/>) as a Bloom filter: "absent" is
/// certain, "maybe" sends the read on to LiteDB. Most reads of keys that do not exist yet — a new transaction's
/// <c>tx/</c> mark at admission and in execution, a new certificate's keys — are answered here instead of by an
/// index seek that queues behind the block being written. Buckets are only ever added (a deleted key stays a
/// "maybe"), so the filter errs only towards asking LiteDB.
/// </summary>
/// <remarks>
/// It answers "absent" only once <see cref="MarkComplete"/> says every stored key was added. It grows by
/// segments of doubling capacity, each at about 1% false positives. Thread-safe: the block writer and the
/// startup scan add, any thread asks.
/// </remarks>
internal sealed class StateKeyFilter
{
    public const int FirstCapacity = 1 << 16;
    private const int BitsPerKey = 10;
    private const int Probes = 7;

    private readonly Lock _growing = new();
    private volatile Segment[] _segments = [new Segment(FirstCapacity)];
    private volatile bool _complete;

    /// <summary>Whether every bucket stored when the filter was started has been added: until then nothing is "absent".</summary>
    public bool IsComplete => _complete;

    public long Count => _segments.Sum(s => s.Count);

    /// <summary>Bytes of bits held: about 1.25 a bucket.</summary>
    public long Bytes => _segments.Sum(s => s.Bytes);

    public void MarkComplete() => _complete = true;

    public void Add(long bucket)
    {
        var (first, second) = Hashes(bucket);
        var segment = _segments[^1];
        if (segment.IsFull)
        {
            segment = Grow(segment);
        }
        segment.Add(first, second);
    }

    /// <summary>False only if no document of the committed state is certainly filed under <paramref name="bucket"/>.</summary>
    public bool MayContain(long bucket)
    {
        if (!_complete)
        {
            return true;
        }
        var (first, second) = Hashes(bucket);
        foreach (var segment in _segments)
        {
            if (segment.MayContain(first, second))
            {
                return true;
            }
        }
        return false;
    }

    private Segment Grow(Segment full)
    {
        lock (_growing)
        {
            var last = _segments[^1];
            if (last != full)
            {
                return last;
            }
            var grown = new Segment(checked(full.Capacity * 2));
            _segments = [.. _segments, grown];
            return grown;
        }
    }

    // A bucket is already 64 bits of SHA-256; two mixes of it drive all probes (Kirsch–Mitzenmacher double hashing).
    private static (ulong First, ulong Second) Hashes(long bucket)
    {
        var first = (ulong)bucket;
        return (first, (BitOperations.RotateLeft(first, 32) * 0x9E3779B97F4A7C15UL) | 1);
    }

    private sealed class Segment
    {
        private readonly long[] _words;
        private readonly ulong _bitMask;
        private long _count;

        public Segment(long capacity)
        {
            Capacity = capacity;
            // A power of two of bits, so a probe is a mask, not a division.
            var bits = (ulong)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)(capacity * BitsPerKey));
            _words = new long[bits / 64];
            _bitMask = bits - 1;
        }

        public long Capacity { get; }

        public long Count => Interlocked.Read(ref _count);

        public long Bytes => _words.LongLength * sizeof(long);

        public bool IsFull => Count >= Capacity;

        public void Add(ulong first, ulong second)
        {
            for (var i = 0UL; i < Probes; i++)
            {
                var bit = (first + i * second) & _bitMask;
                Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
            }
            Interlocked.Increment(ref _count);
        }

        public bool MayContain(ulong first, ulong second)
        {
            for (var i = 0UL; i < Probes; i++)
            {
                var bit = (first + i * second) & _bitMask;
                if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
