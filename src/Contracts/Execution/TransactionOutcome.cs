using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>Builds receipts, so that every receipt says the same thing the same way.</summary>
public static class TransactionOutcome
{
    public static Receipt Accepted(DecodedTransaction tx, IEnumerable<RouteBreach> breaches)
    {
        var receipt = new Receipt { TxId = Google.Protobuf.ByteString.CopyFrom(tx.Id.Span), Code = RuleCatalog.Ok };
        receipt.Breaches.AddRange(breaches.Select(b => b.Code));
        return receipt;
    }

    public static Receipt Refused(Crypto.Hash32 txId, Refusal refusal) => new()
    {
        TxId = Google.Protobuf.ByteString.CopyFrom(txId.Span),
        Code = refusal.Code,
        Message = refusal.Message,
    };
}
