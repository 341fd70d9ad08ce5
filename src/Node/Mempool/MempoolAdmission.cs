namespace Ledger.Node.Mempool;

/// <summary>What the mempool did with a transaction offered to it.</summary>
public enum MempoolAdmission
{
    /// <summary>New: it waits for a block.</summary>
    Added,
    /// <summary>Already waiting: nothing changes (a client retry, or gossip arriving twice).</summary>
    AlreadyPending,
    /// <summary>The pool is at its count or byte limit: the client should retry later.</summary>
    Full,
}
