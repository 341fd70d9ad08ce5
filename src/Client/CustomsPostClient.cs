using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What a customs post on the route does: record checkpoint events with the seals observed. For offline
/// posts: <see cref="Prepare"/> signs now, <see cref="SubmitAsync"/> sends later, as often as needed; the
/// ledger commits one transaction id once.
/// </summary>
public sealed class CustomsPostClient
{
    private readonly LedgerNodeClient _node;
    private readonly MemberSigner _signer;

    public CustomsPostClient(LedgerNodeClient node, MemberSigner signer)
    {
        _node = node;
        _signer = signer;
    }

    public LedgerNodeClient Node => _node;

    public Task<CommittedReceipt> RecordCheckpointEventAsync(RecordCheckpointEvent checkpointEvent, CancellationToken cancellationToken = default) =>
        SubmitAsync(Prepare(checkpointEvent), cancellationToken);

    /// <summary>Signs the event without sending it: store the result and submit it when the link is back.</summary>
    public SignedTransaction Prepare(RecordCheckpointEvent checkpointEvent) =>
        _signer.Sign(b => b.RecordCheckpointEvent = checkpointEvent);

    public Task<CommittedReceipt> SubmitAsync(SignedTransaction prepared, CancellationToken cancellationToken = default) =>
        _node.SubmitAndWaitAsync(prepared, cancellationToken);
}
