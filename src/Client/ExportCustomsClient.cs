using Ledger.Wire;

namespace Ledger.Client;

/// <summary>What export customs does: declare a consignment, its route, seals and certificates, in one call.</summary>
public sealed class ExportCustomsClient
{
    private readonly LedgerNodeClient _node;
    private readonly MemberSigner _signer;

    public ExportCustomsClient(LedgerNodeClient node, MemberSigner signer)
    {
        _node = node;
        _signer = signer;
    }

    public LedgerNodeClient Node => _node;

    public Task<CommittedReceipt> DeclareConsignmentAsync(DeclareConsignment declaration, CancellationToken cancellationToken = default) =>
        _node.SubmitAndWaitAsync(_signer.Sign(b => b.DeclareConsignment = declaration), cancellationToken);
}
