using System.Text;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>
/// The sweep of verification deadlines a block applies before its transactions (docs/PROTOCOL.md,
/// "Verification deadlines"): every queued request whose deadline its time has passed, in queue order, with
/// no answer, suspends its certificate. No transaction asks for it, so each change gets an automatic receipt.
/// </summary>
public static class VerificationDeadlines
{
    /// <summary>Queues a new request's deadline. Requests come in block order and share one deadline length, so the queue stays in deadline order.</summary>
    public static void Enqueue(LedgerState state, string certificateId, string requestId, long deadlineMs)
    {
        var queue = state.DeadlineQueue();
        state.Put(queue.Tail, new DeadlineEntry { CertificateId = certificateId, RequestId = requestId, DeadlineMs = deadlineMs });
        queue.Tail++;
        state.Put(queue);
    }

    /// <summary>
    /// Applies every due deadline and returns the automatic receipts, in the order applied. A deadline is due when
    /// the block's time is past it (strictly later): an answer in a block at the deadline itself is in time.
    /// The sweep stops at the first entry not due, so a block reads one entry more than it applies.
    /// </summary>
    public static IReadOnlyList<Receipt> Sweep(LedgerState state, BlockContext block)
    {
        var queue = state.DeadlineQueue();
        var receipts = new List<Receipt>();
        var head = queue.Head;
        while (head < queue.Tail)
        {
            var entry = state.Deadline(head) ?? throw new InvalidOperationException($"deadline {head} of the queue [{queue.Head}, {queue.Tail}) is missing");
            if (entry.DeadlineMs >= block.TimeMs)
            {
                break;
            }
            if (Lapse(state, block, entry) is { } receipt)
            {
                receipts.Add(receipt);
            }
            state.DeleteDeadline(head);
            head++;
        }
        if (head != queue.Head)
        {
            queue.Head = head;
            state.Put(queue);
        }
        if (receipts.Count > 0)
        {
            var changes = new AutomaticChanges();
            changes.Receipts.AddRange(receipts);
            state.Put(block.Height, changes);
        }
        return receipts;
    }

    /// <summary>
    /// The pseudo transaction id of an automatic change: SHA-256 of "ledger.v1/deadline" 0x00 certificate id 0x00
    /// request id (UTF-8). Distinct from every transaction id, which hashes signed bytes under another domain.
    /// </summary>
    public static Hash32 ChangeId(string certificateId, string requestId) =>
        Hash32.Sha256(Encoding.UTF8.GetBytes("ledger.v1/deadline\0" + certificateId + "\0" + requestId));

    /// <summary>Null when the request was answered in time: nothing changes, the entry only leaves the queue.</summary>
    private static Receipt? Lapse(LedgerState state, BlockContext block, DeadlineEntry entry)
    {
        var cert = state.Certificate(entry.CertificateId)
            ?? throw new InvalidOperationException($"deadline of request {entry.RequestId} names no certificate {entry.CertificateId}");
        var request = cert.Verifications.First(v => string.Equals(v.RequestId, entry.RequestId, StringComparison.Ordinal));
        if (request.Outcome != VerificationOutcome.Unspecified)
        {
            return null;
        }
        request.LapsedHeight = block.Height;
        string outcome;
        if (cert.Status == CertificateStatus.Issued)
        {
            cert.Status = CertificateStatus.Suspended;
            cert.StatusReason = $"verification request {entry.RequestId} of {request.RequestedBy} unanswered by its deadline {entry.DeadlineMs} (Unix ms)";
            cert.SuspendedByRequest = entry.RequestId;
            outcome = "suspended";
        }
        else if (cert.Status == CertificateStatus.Suspended && cert.SuspendedByRequest.Length == 0)
        {
            // Suspended by its issuer: the deadline now holds the suspension too, so that lifting it takes the answer.
            cert.SuspendedByRequest = entry.RequestId;
            outcome = "already Suspended by its issuer; the suspension now also waits for the answer";
        }
        else
        {
            outcome = $"already {CertificateStatusNames.Format(cert.Status)}, status unchanged";
        }
        state.Put(cert);
        return new Receipt
        {
            TxId = ByteString.CopyFrom(ChangeId(cert.Id, entry.RequestId).Span),
            Code = RuleCatalog.VerificationDeadlinePassed,
            Message = $"certificate {cert.Id}: verification request {entry.RequestId} of {request.RequestedBy} was not answered by its deadline {entry.DeadlineMs} (Unix ms); {outcome}",
        };
    }
}
