using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// The ledger refused a request or a transaction: <see cref="Code"/> is the rule's stable code
/// (e.g. <c>CERT_NOT_ACTIVE</c>, <c>SIGNATURE_INVALID</c>), from the node's "ledger-rule-code" trailer
/// or from the receipt of a committed transaction that its contract refused. Another node would say the
/// same, so the client does not retry it.
/// </summary>
public sealed class LedgerRefusedException : Exception
{
    public LedgerRefusedException(string code, string message, Hash32? txId = null, CommittedReceipt? receipt = null, Exception? inner = null)
        : base($"{code}: {message}", inner)
    {
        Code = code;
        Reason = message;
        TxId = txId;
        Receipt = receipt;
    }

    /// <summary>The rule's code; "UNKNOWN" when a node refused without one (a gRPC status without the trailer).</summary>
    public string Code { get; }

    /// <summary>The sentence naming the field and the rule.</summary>
    public string Reason { get; }

    /// <summary>The transaction refused, when the refusal is about one.</summary>
    public Hash32? TxId { get; }

    /// <summary>Set when the transaction was committed and its contract refused it: its id is used up.</summary>
    public CommittedReceipt? Receipt { get; }
}
