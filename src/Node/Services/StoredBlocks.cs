using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>A committed block as served: block, certificate and receipts together.</summary>
public static class StoredBlocks
{
    public static StoredBlock? Read(BlockStore store, ulong height)
    {
        var block = store.GetBlock(height);
        if (block is null)
        {
            return null;
        }
        var stored = new StoredBlock { Block = block, Certificate = store.GetCommit(height) };
        stored.Receipts.AddRange(store.GetReceipts(height) ?? []);
        return stored;
    }
}
