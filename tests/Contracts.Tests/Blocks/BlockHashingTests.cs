using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Blocks;

public sealed class BlockHashingTests
{
    private static BlockHeader Header() => new()
    {
        ChainId = "test",
        Height = 7,
        TimeMs = 1_767_225_600_000,
        PreviousBlockHash = ByteString.CopyFrom(new byte[32]),
        TxRoot = ByteString.CopyFrom(Enumerable.Repeat((byte)1, 32).ToArray()),
        StateRoot = ByteString.CopyFrom(Enumerable.Repeat((byte)2, 32).ToArray()),
        ReceiptsRoot = ByteString.CopyFrom(Enumerable.Repeat((byte)3, 32).ToArray()),
        Proposer = "kz-chamber",
        TxCount = 3,
    };

    public static TheoryData<string> Fields => ["chain_id", "height", "time_ms", "previous_block_hash", "last_commit_hash", "tx_root", "state_root", "receipts_root", "proposer", "tx_count"];

    [Theory]
    [MemberData(nameof(Fields))]
    public void Changing_any_header_field_changes_the_block_hash(string field)
    {
        var changed = Header();
        var other = ByteString.CopyFrom(Enumerable.Repeat((byte)9, 32).ToArray());
        switch (field)
        {
            case "chain_id": changed.ChainId = "other"; break;
            case "height": changed.Height++; break;
            case "time_ms": changed.TimeMs++; break;
            case "previous_block_hash": changed.PreviousBlockHash = other; break;
            case "last_commit_hash": changed.LastCommitHash = other; break;
            case "tx_root": changed.TxRoot = other; break;
            case "state_root": changed.StateRoot = other; break;
            case "receipts_root": changed.ReceiptsRoot = other; break;
            case "proposer": changed.Proposer = "cn-ccpit"; break;
            case "tx_count": changed.TxCount++; break;
        }
        BlockHashing.HeaderHash(changed).Should().NotBe(BlockHashing.HeaderHash(Header()));
    }

    [Fact]
    public void The_block_hash_does_not_depend_on_protobuf_encoding()
    {
        var header = Header();
        var withUnknownField = BlockHeader.Parser.ParseFrom([.. header.ToByteArray(), 0xF8, 0x07, 0x01]);

        withUnknownField.ToByteArray().Should().NotEqual(header.ToByteArray());
        BlockHashing.HeaderHash(withUnknownField).Should().Be(BlockHashing.HeaderHash(header));
    }

    [Fact]
    public void Receipts_root_commits_to_codes_and_breaches()
    {
        var ok = new Receipt { TxId = ByteString.CopyFrom(new byte[32]), Code = "OK" };
        var breach = ok.Clone();
        breach.Breaches.Add("SEAL_BROKEN");
        var refused = ok.Clone();
        refused.Code = "CERT_NOT_ACTIVE";

        var roots = new[] { ok, breach, refused }.Select(r => BlockHashing.ReceiptsRoot([r])).ToArray();
        roots.Distinct().Should().HaveCount(3);
    }
}
