using Google.Protobuf;
using Ledger.Contracts.Certificates;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What a chamber of commerce does: issue, replace, revoke, suspend, reinstate, issue duplicates, answer
/// verification requests. Each call signs locally and returns the committed receipt, or throws
/// <see cref="LedgerRefusedException"/> with the rule's code.
/// </summary>
public sealed class ChamberClient
{
    private readonly LedgerNodeClient _node;
    private readonly MemberSigner _signer;

    public ChamberClient(LedgerNodeClient node, MemberSigner signer)
    {
        _node = node;
        _signer = signer;
    }

    public LedgerNodeClient Node => _node;

    /// <summary>The id a certificate of this chamber gets: "&lt;chamber id&gt;/&lt;number&gt;".</summary>
    public string CertificateIdOf(string number) => CertificateIds.Of(_signer.OrganisationId, number);

    public Task<CommittedReceipt> IssueAsync(Certificate certificate, CancellationToken cancellationToken = default) =>
        Submit(b => b.IssueCertificate = new IssueCertificate { Certificate = certificate }, cancellationToken);

    /// <summary>Issues <paramref name="certificate"/> in place of <paramref name="replacedCertificateId"/>, which becomes Replaced.</summary>
    public Task<CommittedReceipt> ReplaceAsync(string replacedCertificateId, Certificate certificate, string reason, CancellationToken cancellationToken = default) =>
        Submit(b => b.ReplaceCertificate = new ReplaceCertificate { ReplacesCertificateId = replacedCertificateId, Certificate = certificate, Reason = reason }, cancellationToken);

    public Task<CommittedReceipt> RevokeAsync(string certificateId, string reason, CancellationToken cancellationToken = default) =>
        Submit(b => b.RevokeCertificate = new RevokeCertificate { CertificateId = certificateId, Reason = reason }, cancellationToken);

    public Task<CommittedReceipt> SuspendAsync(string certificateId, string reason, CancellationToken cancellationToken = default) =>
        Submit(b => b.SuspendCertificate = new SuspendCertificate { CertificateId = certificateId, Reason = reason }, cancellationToken);

    public Task<CommittedReceipt> ReinstateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        Submit(b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = certificateId }, cancellationToken);

    /// <summary>A duplicate of a lost, unused original; it shares the original's balance.</summary>
    /// <param name="contentHash">SHA-256 of the duplicate document, 32 bytes.</param>
    public Task<CommittedReceipt> IssueDuplicateAsync(
        string originalCertificateId, string number, byte[] contentHash, DateTimeOffset issuedAt, CancellationToken cancellationToken = default) =>
        Submit(b => b.IssueDuplicate = new IssueDuplicate
        {
            OriginalCertificateId = originalCertificateId,
            Number = number,
            ContentHash = ByteString.CopyFrom(contentHash),
            IssuedAtMs = issuedAt.ToUnixTimeMilliseconds(),
        }, cancellationToken);

    /// <param name="requestId">Hex id of the RequestVerification transaction (its receipt's tx_id).</param>
    public Task<CommittedReceipt> AnswerVerificationAsync(
        string certificateId, string requestId, VerificationOutcome outcome, string remarks, CancellationToken cancellationToken = default) =>
        Submit(b => b.AnswerVerification = new AnswerVerification { CertificateId = certificateId, RequestId = requestId, Outcome = outcome, Remarks = remarks }, cancellationToken);

    private Task<CommittedReceipt> Submit(Action<TxBody> kind, CancellationToken cancellationToken) =>
        _node.SubmitAndWaitAsync(_signer.Sign(kind), cancellationToken);
}
