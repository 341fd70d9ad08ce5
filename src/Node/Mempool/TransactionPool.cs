using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;

namespace Ledger.Node.Mempool;

/// <summary>
/// Transactions that passed the stateless rules (signature included) and wait for a block, in arrival
/// order. Bounded in count and bytes: a full pool refuses, it never grows without limit. Thread-safe:
/// the gRPC handlers add, the consensus loop takes and removes.
/// </summary>
public sealed class TransactionPool
{
    private readonly object _gate = new();
    private readonly Dictionary<Hash32, (DecodedTransaction Tx, int Bytes, long Sequence, long AdmittedAt)> _byId = [];
    private readonly SortedDictionary<long, Hash32> _byArrival = [];
    private readonly int _countMax;
    private readonly long _bytesMax;
    private long _sequence;
    private long _bytes;

    public TransactionPool(int countMax, long bytesMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(countMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesMax);
        _countMax = countMax;
        _bytesMax = bytesMax;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// Whether a transaction of this size would fit now. Asked before a transaction is decoded: a full pool under load
    /// would otherwise spend a signature check on every retry and every gossiped copy it then refuses.
    /// </summary>
    public bool HasRoomFor(int envelopeBytes)
    {
        lock (_gate)
        {
            return Fits(envelopeBytes);
        }
    }

    public MempoolAdmission Add(DecodedTransaction tx)
    {
        var bytes = tx.Envelope.CalculateSize();
        lock (_gate)
        {
            if (_byId.ContainsKey(tx.Id))
            {
                return MempoolAdmission.AlreadyPending;
            }
            if (!Fits(bytes))
            {
                return MempoolAdmission.Full;
            }
            var sequence = _sequence++;
            _byId[tx.Id] = (tx, bytes, sequence, System.Diagnostics.Stopwatch.GetTimestamp());
            _byArrival[sequence] = tx.Id;
            _bytes += bytes;
            return MempoolAdmission.Added;
        }
    }

    private bool Fits(int bytes) => _byId.Count < _countMax && _bytes + bytes <= _bytesMax;

    /// <summary>The pending transaction with this id, if any: lets a proposal's transactions skip a second signature check.</summary>
    public DecodedTransaction? Find(Hash32 id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out var entry) ? entry.Tx : null;
        }
    }

    /// <summary>The oldest transactions that fit in a block of at most <paramref name="countMax"/> and <paramref name="bytesMax"/>; they stay in the pool until committed.</summary>
    public IReadOnlyList<DecodedTransaction> Peek(int countMax, long bytesMax)
    {
        var taken = new List<DecodedTransaction>();
        long bytes = 0;
        lock (_gate)
        {
            foreach (var id in _byArrival.Values)
            {
                var entry = _byId[id];
                if (taken.Count >= countMax || bytes + entry.Bytes > bytesMax)
                {
                    break;
                }
                taken.Add(entry.Tx);
                bytes += entry.Bytes;
            }
        }
        return taken;
    }

    /// <summary>Drops transactions a committed block carried; returns when each of those it held was admitted (Stopwatch timestamps), for the commit latency.</summary>
    public IReadOnlyList<long> Remove(IEnumerable<Hash32> ids)
    {
        var admitted = new List<long>();
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_byId.Remove(id, out var entry))
                {
                    _byArrival.Remove(entry.Sequence);
                    _bytes -= entry.Bytes;
                    admitted.Add(entry.AdmittedAt);
                }
            }
        }
        return admitted;
    }
}
