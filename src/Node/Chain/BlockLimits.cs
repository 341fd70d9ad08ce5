namespace Ledger.Node.Chain;

/// <summary>
/// How much a block may carry. A proposer fills blocks up to its configured limits; every node accepts
/// blocks up to <see cref="Protocol"/>, the same everywhere, so that valid(v) never depends on a node's
/// own configuration.
/// </summary>
public sealed record BlockLimits(int TransactionsMax = 2_000, long BytesMax = 4 * 1024 * 1024)
{
    /// <summary>What any block may carry: below the store's largest block (15 MiB) with room for header and certificate.</summary>
    public static BlockLimits Protocol { get; } = new(10_000, 12 * 1024 * 1024);

    /// <summary>These limits, lowered to the protocol's where they exceed them.</summary>
    public BlockLimits WithinProtocol() => new(Math.Min(TransactionsMax, Protocol.TransactionsMax), Math.Min(BytesMax, Protocol.BytesMax));
}
