using Ledger.Contracts.State;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>A committed block as served: block, certificate, receipts and automatic receipts together.</summary>
public static class StoredBlocks
{
    /// <summary>The block at <paramref name="height"/>, or null above the head (which includes heights storage cannot index).</summary>
    public static StoredBlock? Read(BlockStore store, ulong height)
    {
        var block = height > store.Head.Height ? null : store.GetBlock(height);
        if (block is null)
        {
            return null;
        }
        var stored = new StoredBlock { Block = block, Certificate = store.GetCommit(height) };
        stored.Receipts.AddRange(store.GetReceipts(height) ?? []);
        // Never overwritten once written, so the head's state holds every block's automatic changes.
        if (store.State.Get(StateKeys.AutomaticChanges(height)) is { } automatic)
        {
            stored.Automatic.AddRange(AutomaticChanges.Parser.ParseFrom(automatic).Receipts);
        }
        return stored;
    }
}
