using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Node.Tests.Storage;

/// <summary>The state's key filter, filled from the database at startup, must never make a stored key read as absent.</summary>
public sealed class StoredStateKeyFilterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_reopened_store_fills_its_filter_from_every_stored_key_over_several_scan_queries()
    {
        // Two keys a transaction: more keys than one scan query reads.
        const int perBlock = 1_000;
        var chain = new SyntheticChain(seed: 5, transactionsPerBlock: perBlock, valueBytes: 32);
        var blocks = 1 + (StoredState.BucketsPerScanQuery / (2 * perBlock));
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            for (var i = 0; i < blocks; i++)
            {
                store.CommitBlock(chain.Next());
            }
        }

        using var reopened = new NodeDatabase(_folder.Path);
        var again = new BlockStore(reopened, SyntheticChain.Identity);
        var state = (StoredState)again.State;

        (await state.KeyFilterFilled).Should().BeTrue();
        state.Keys.IsComplete.Should().BeTrue();
        state.Keys.Count.Should().BeGreaterThan(StoredState.BucketsPerScanQuery);
        for (var height = 1UL; height <= (ulong)blocks; height++)
        {
            for (var index = 0; index < perBlock; index++)
            {
                var key = SyntheticChain.CertificateKey(height, index);
                again.State.Get(key).Should().Equal(chain.State.Get(key), $"{key} reads as it was committed");
            }
        }
        again.State.Get("cert/cn-ccpit/never-issued").Should().BeNull();
        again.State.Get("config").Should().Equal(SyntheticChain.GenesisEntries[0].Value);
    }

    [Fact]
    public async Task Keys_of_blocks_committed_after_the_scan_are_present_too()
    {
        var chain = new SyntheticChain(seed: 6, transactionsPerBlock: 50, valueBytes: 32);
        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        var state = (StoredState)store.State;
        (await state.KeyFilterFilled).Should().BeTrue("an empty database is scanned at once");
        chain.InitialiseGenesis(store);

        var block = chain.Next();
        store.CommitBlock(block);

        foreach (var (key, value) in block.Changes)
        {
            store.State.Get(key).Should().Equal(value, $"{key} was just committed");
        }
        foreach (var id in block.TxIds)
        {
            store.FindTransaction(id).Should().NotBeNull();
        }
        store.State.Get("config").Should().Equal(SyntheticChain.GenesisEntries[0].Value);
    }
}
