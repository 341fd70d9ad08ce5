using Google.Protobuf;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Node.Tests.Storage;

/// <summary>
/// Damage the open-time check cannot see — a document's bytes in the data file — is found at the first read that meets it,
/// and from then on the folder is refused at every open (OPERATIONS.md, "A damaged database").
/// </summary>
public sealed class DamageAtReadTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_stored_block_whose_bytes_changed_is_refused_at_its_first_read_and_the_folder_at_every_open_after()
    {
        var chain = new SyntheticChain(seed: 20, transactionsPerBlock: 8, valueBytes: 256);
        var blocks = new List<byte[]>();
        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            chain.InitialiseGenesis(store);
            for (var i = 0; i < 3; i++)
            {
                var next = chain.Next();
                store.CommitBlock(next);
                blocks.Add(next.Block.ToByteArray());
            }
        }
        File.Exists(Path.Combine(_folder.Path, NodeDatabase.LogFileName)).Should().BeFalse("closing folded the log into the data file");
        FlipAByteOf(blocks[0], Path.Combine(_folder.Path, NodeDatabase.FileName));

        using (var database = new NodeDatabase(_folder.Path))
        {
            var store = new BlockStore(database, SyntheticChain.Identity);
            var read = () => store.GetBlock(1);

            read.Should().Throw<StorageDamagedException>().Which.Message.Should().Contain("height 1").And.Contain("A damaged database");
            database.DamageFound.IsCancellationRequested.Should().BeTrue("the node stops serving on it");
            store.GetBlock(2).Should().NotBeNull("the other blocks read as they were; the node stops anyway");
        }
        File.Exists(Path.Combine(_folder.Path, DamageMarker.FileName)).Should().BeTrue();

        var reopen = () => new NodeDatabase(_folder.Path);
        reopen.Should().Throw<StorageDamagedException>().Which.Message.Should().Contain(DamageMarker.FileName).And.Contain("height 1");
    }

    /// <summary>Flips one bit in the middle of the block's stored bytes (LiteDB keeps a small document's bytes in one piece).</summary>
    private static void FlipAByteOf(byte[] stored, string dataFile)
    {
        var bytes = File.ReadAllBytes(dataFile);
        var needle = stored.AsSpan(0, 64);
        var at = bytes.AsSpan().IndexOf(needle);
        at.Should().BeGreaterThanOrEqualTo(0, "the block's bytes are in the data file");
        bytes[at + (stored.Length / 2)] ^= 0x10;
        File.WriteAllBytes(dataFile, bytes);
    }
}
