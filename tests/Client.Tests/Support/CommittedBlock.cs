using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client.Tests.Support;

/// <summary>A block of the test chain with its own certificate, receipts and the state root after it.</summary>
public sealed record CommittedBlock(BlockHeader Header, CommitCertificate Certificate, IReadOnlyList<TxEnvelope> Transactions, IReadOnlyList<Receipt> Receipts, Hash32 StateRoot)
{
    public Hash32 Hash => BlockHashing.HeaderHash(Header);

    public StoredBlock ToStored()
    {
        var stored = new StoredBlock { Block = new Block { Header = Header.Clone() }, Certificate = Certificate.Clone() };
        stored.Block.Transactions.AddRange(Transactions);
        stored.Receipts.AddRange(Receipts);
        return stored;
    }
}
