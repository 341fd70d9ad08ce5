using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What import customs does: verify a certificate (proven by default), record its use against an import
/// declaration, ask the issuer to verify it.
/// </summary>
public sealed class ImportCustomsClient
{
    private readonly LedgerNodeClient _node;
    private readonly MemberSigner _signer;

    public ImportCustomsClient(LedgerNodeClient node, MemberSigner signer)
    {
        _node = node;
        _signer = signer;
    }

    public LedgerNodeClient Node => _node;

    /// <inheritdoc cref="LedgerNodeClient.VerifyCertificateAsync"/>
    public Task<CertificateVerification> VerifyCertificateAsync(
        string certificateId, byte[]? documentHash = null, bool requireProof = true, CancellationToken cancellationToken = default) =>
        _node.VerifyCertificateAsync(certificateId, documentHash, requireProof, cancellationToken);

    /// <inheritdoc cref="LedgerNodeClient.GetConsignmentAsync"/>
    public Task<ConsignmentLookup> GetConsignmentAsync(string consignmentId, bool requireProof = true, CancellationToken cancellationToken = default) =>
        _node.GetConsignmentAsync(consignmentId, requireProof, cancellationToken);

    /// <summary>Records use of the certificate, possibly of part of its lines; use beyond the balance is refused.</summary>
    public Task<CommittedReceipt> RecordUseAsync(
        string certificateId, string declarationNumber, IEnumerable<UseLine> lines, CancellationToken cancellationToken = default)
    {
        var use = new RecordUse { CertificateId = certificateId, DeclarationNumber = declarationNumber };
        use.Lines.AddRange(lines);
        return _node.SubmitAndWaitAsync(_signer.Sign(b => b.RecordUse = use), cancellationToken);
    }

    /// <summary>Asks the issuer to verify; the request's id (for the answer) is the receipt's tx_id.</summary>
    public Task<CommittedReceipt> RequestVerificationAsync(string certificateId, string reasons, CancellationToken cancellationToken = default) =>
        _node.SubmitAndWaitAsync(_signer.Sign(b => b.RequestVerification = new RequestVerification { CertificateId = certificateId, Reasons = reasons }), cancellationToken);
}
