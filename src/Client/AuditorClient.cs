using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What an auditor reads: committed blocks, each header checked against its commit certificate. Replaying
/// the ledger (re-executing every transaction, recomputing every root) is a separate tool built on this.
/// </summary>
public sealed class AuditorClient
{
    private readonly LedgerNodeClient _node;

    public AuditorClient(LedgerNodeClient node) => _node = node;

    public LedgerNodeClient Node => _node;

    public Task<StoredBlock> GetBlockAsync(ulong height, CancellationToken cancellationToken = default) =>
        _node.GetBlockAsync(height, cancellationToken);

    public IAsyncEnumerable<StoredBlock> StreamBlocksAsync(ulong fromHeight, CancellationToken cancellationToken = default) =>
        _node.StreamBlocksAsync(fromHeight, cancellationToken);
}
