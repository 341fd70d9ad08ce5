using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>Everything a contract sees while executing one transaction.</summary>
public sealed class TxContext
{
    public TxContext(BlockContext block, DecodedTransaction transaction, OrganisationRecord signer, LedgerState state)
    {
        Block = block;
        Transaction = transaction;
        Signer = signer;
        State = state;
    }

    public BlockContext Block { get; }

    public DecodedTransaction Transaction { get; }

    public Hash32 TxId => Transaction.Id;

    /// <summary>The signing organisation's record, checked active with a valid key at the block time.</summary>
    public OrganisationRecord Signer { get; }

    public string SignerId => Signer.Organisation.Id;

    public string SignerCountry => Signer.Organisation.Country;

    public LedgerState State { get; }

    /// <summary>Route breaches this transaction recorded, in order.</summary>
    public List<RouteBreach> Breaches { get; } = [];
}
