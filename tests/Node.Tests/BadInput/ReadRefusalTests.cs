using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>Reads of what does not exist or cannot: NotFound (with the rule's code where one applies) or InvalidArgument, and nothing moves.</summary>
[Collection(BadInputCollection.Name)]
public sealed class ReadRefusalTests
{
    private readonly BadInputNode _node;

    public ReadRefusalTests(BadInputNode node) => _node = node;

    public static TheoryData<string, StatusCode, string?> Cases() => new()
    {
        { "block-at-height-0", StatusCode.NotFound, null },
        { "block-past-the-head", StatusCode.NotFound, null },
        { "block-at-the-largest-height", StatusCode.NotFound, null },
        { "transaction-unknown", StatusCode.NotFound, null },
        { "transaction-id-empty", StatusCode.InvalidArgument, null },
        { "transaction-id-33-bytes", StatusCode.InvalidArgument, null },
        { "certificate-unknown", StatusCode.NotFound, RuleCatalog.CertUnknown },
        { "certificate-id-empty", StatusCode.InvalidArgument, null },
        { "certificate-id-257-characters", StatusCode.InvalidArgument, null },
        { "certificate-id-a-path", StatusCode.NotFound, RuleCatalog.CertUnknown },
        { "consignment-unknown", StatusCode.NotFound, RuleCatalog.ConsignmentUnknown },
        { "consignment-id-empty", StatusCode.InvalidArgument, null },
        { "verify-id-empty", StatusCode.InvalidArgument, null },
        { "verify-document-hash-31-bytes", StatusCode.InvalidArgument, null },
        { "find-number-empty", StatusCode.InvalidArgument, null },
        { "find-number-257-characters", StatusCode.InvalidArgument, null },
        { "proposed-block-id-31-bytes", StatusCode.InvalidArgument, null },
        { "proposed-block-unknown", StatusCode.NotFound, null },
        { "proposal-unknown", StatusCode.NotFound, RuleCatalog.ProposalUnknown },
        { "proposal-id-not-hex", StatusCode.InvalidArgument, null },
        { "proposal-id-upper-case", StatusCode.InvalidArgument, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_read_of_what_is_not_there_is_refused_with_its_status(string input, StatusCode status, string? code)
    {
        var before = await _node.HeadAsync();

        var refused = await BadInputCalls.RefusedAsync(o => Call(input, before.Height, o));

        refused.StatusCode.Should().Be(status, refused.Status.Detail);
        refused.Trailers.GetValue(Services.RefusalStatus.RuleCodeTrailer).Should().Be(code);
        refused.Status.Detail.Should().NotBeNullOrWhiteSpace();
        (await _node.HeadAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_unknown_consignment_asked_with_proof_is_answered_with_a_proof_of_its_absence()
    {
        var answer = await _node.Ledger.GetConsignmentAsync(new GetConsignmentRequest { ConsignmentId = "BI-NO-SUCH-CONSIGNMENT", WithProof = true });

        answer.Consignment.Should().BeNull();
        answer.Proof.Entries.Should().ContainSingle().Which.Absent.Should().BeTrue();
    }

    [Fact]
    public async Task Block_sync_past_the_head_sends_nothing_and_from_zero_starts_at_one()
    {
        var head = (await _node.HeadAsync()).Height;

        var past = await ReadBlocksAsync(new GetBlocksRequest { FromHeight = ulong.MaxValue, MaxBlocks = uint.MaxValue });
        var fromZero = await ReadBlocksAsync(new GetBlocksRequest { FromHeight = 0, MaxBlocks = 2 });

        past.Should().BeEmpty();
        fromZero.Select(b => b.Block.Header.Height).Should().Equal(head >= 2 ? [1UL, 2UL] : [1UL]);
    }

    [Fact]
    public async Task A_stream_of_blocks_from_past_the_head_waits_for_them_and_sends_nothing_before()
    {
        var before = await _node.HeadAsync();
        using var call = _node.Ledger.StreamBlocks(new StreamBlocksRequest { FromHeight = ulong.MaxValue }, deadline: DateTime.UtcNow.AddMilliseconds(500));

        // A subscription to heights not yet committed is a wait, not an error: it ends at the client's deadline.
        var ended = await BadInputCalls.RefusedAsync(_ => call.ResponseStream.MoveNext(CancellationToken.None));

        ended.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
        (await _node.HeadAsync()).Should().Be(before);
        using var fromZero = _node.Ledger.StreamBlocks(new StreamBlocksRequest { FromHeight = 0 }, deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        (await fromZero.ResponseStream.MoveNext(CancellationToken.None)).Should().BeTrue();
        fromZero.ResponseStream.Current.Block.Header.Height.Should().Be(1, "height 0 is the genesis, which has no block: the stream starts at 1");
    }

    [Fact]
    public async Task The_head_block_is_served_by_its_id_to_a_validator_one_height_behind_and_older_blocks_by_sync_only()
    {
        var head = (await _node.HeadAsync()).Height;
        var block = (await _node.Ledger.GetBlockAsync(new GetBlockRequest { Height = head })).Block;
        var id = ByteString.CopyFrom(Contracts.Blocks.BlockHashing.HeaderHash(block.Header).Span);

        var served = await _node.Consensus.GetProposedBlockAsync(new GetProposedBlockRequest { BlockId = id });

        // A peer decided the height with votes this node missed: the block it asks for is no longer a proposal there.
        served.Should().Be(block);
        if (head >= 2)
        {
            var older = (await _node.Ledger.GetBlockAsync(new GetBlockRequest { Height = head - 1 })).Block;
            var olderId = ByteString.CopyFrom(Contracts.Blocks.BlockHashing.HeaderHash(older.Header).Span);
            var refused = await BadInputCalls.RefusedAsync(o => _node.Consensus.GetProposedBlockAsync(new GetProposedBlockRequest { BlockId = olderId }, o).ResponseAsync);
            refused.StatusCode.Should().Be(StatusCode.NotFound, "a node further behind syncs blocks with their certificates");
        }
    }

    private async Task<List<StoredBlock>> ReadBlocksAsync(GetBlocksRequest request)
    {
        using var call = _node.Consensus.GetBlocks(request, deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        var blocks = new List<StoredBlock>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            blocks.Add(call.ResponseStream.Current);
        }
        return blocks;
    }

    private Task Call(string input, ulong head, CallOptions o) => input switch
    {
        "block-at-height-0" => _node.Ledger.GetBlockAsync(new GetBlockRequest { Height = 0 }, o).ResponseAsync,
        "block-past-the-head" => _node.Ledger.GetBlockAsync(new GetBlockRequest { Height = head + 1 }, o).ResponseAsync,
        "block-at-the-largest-height" => _node.Ledger.GetBlockAsync(new GetBlockRequest { Height = ulong.MaxValue }, o).ResponseAsync,
        "transaction-unknown" => _node.Ledger.GetTransactionAsync(new GetTransactionRequest { TxId = ByteString.CopyFrom(new byte[32]) }, o).ResponseAsync,
        "transaction-id-empty" => _node.Ledger.GetTransactionAsync(new GetTransactionRequest(), o).ResponseAsync,
        "transaction-id-33-bytes" => _node.Ledger.GetTransactionAsync(new GetTransactionRequest { TxId = ByteString.CopyFrom(new byte[33]) }, o).ResponseAsync,
        "certificate-unknown" => _node.Ledger.GetCertificateAsync(new GetCertificateRequest { CertificateId = Members.IdOf("BI-NO-SUCH") }, o).ResponseAsync,
        "certificate-id-empty" => _node.Ledger.GetCertificateAsync(new GetCertificateRequest(), o).ResponseAsync,
        "certificate-id-257-characters" => _node.Ledger.GetCertificateAsync(new GetCertificateRequest { CertificateId = new string('c', 257) }, o).ResponseAsync,
        "certificate-id-a-path" => _node.Ledger.GetCertificateAsync(new GetCertificateRequest { CertificateId = "../../org/cn-ccpit" }, o).ResponseAsync,
        "consignment-unknown" => _node.Ledger.GetConsignmentAsync(new GetConsignmentRequest { ConsignmentId = "BI-NO-SUCH" }, o).ResponseAsync,
        "consignment-id-empty" => _node.Ledger.GetConsignmentAsync(new GetConsignmentRequest(), o).ResponseAsync,
        "verify-id-empty" => _node.Public.VerifyCertificateAsync(new VerifyCertificateRequest(), o).ResponseAsync,
        "verify-document-hash-31-bytes" => _node.Public.VerifyCertificateAsync(
            new VerifyCertificateRequest { CertificateId = Members.IdOf("BI-NO-SUCH"), DocumentHash = ByteString.CopyFrom(new byte[31]) }, o).ResponseAsync,
        "find-number-empty" => _node.Public.FindCertificatesAsync(new FindCertificatesRequest { WithProof = true }, o).ResponseAsync,
        "find-number-257-characters" => _node.Public.FindCertificatesAsync(new FindCertificatesRequest { Number = new string('7', 257) }, o).ResponseAsync,
        "proposed-block-id-31-bytes" => _node.Consensus.GetProposedBlockAsync(new GetProposedBlockRequest { BlockId = ByteString.CopyFrom(new byte[31]) }, o).ResponseAsync,
        "proposed-block-unknown" => _node.Consensus.GetProposedBlockAsync(new GetProposedBlockRequest { BlockId = ByteString.CopyFrom(new byte[32]) }, o).ResponseAsync,
        "proposal-unknown" => _node.Ledger.GetProposalAsync(new GetProposalRequest { ProposalId = new string('a', 64) }, o).ResponseAsync,
        "proposal-id-not-hex" => _node.Ledger.GetProposalAsync(new GetProposalRequest { ProposalId = "../org/cn-ccpit" }, o).ResponseAsync,
        "proposal-id-upper-case" => _node.Ledger.GetProposalAsync(new GetProposalRequest { ProposalId = new string('A', 64) }, o).ResponseAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "no such case"),
    };
}
