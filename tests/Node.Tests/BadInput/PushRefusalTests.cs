using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// A peer's stream carries messages no validator signed, or that do not make sense: each is dropped and
/// counted (docs/PROTOCOL.md, "Dropped and counted"), gossip that breaks a rule stays out of the mempool,
/// the stream is acknowledged, and the chain does not move.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class PushRefusalTests
{
    private readonly BadInputNode _node;

    public PushRefusalTests(BadInputNode node) => _node = node;

    public static TheoryData<string, string> Cases() => new()
    {
        { "vote-with-a-bad-signature", nameof(ConsensusCounters.BadSignature) },
        { "vote-of-an-unknown-validator", nameof(ConsensusCounters.UnknownValidator) },
        { "vote-with-a-short-block-id", nameof(ConsensusCounters.Malformed) },
        { "vote-of-no-type", nameof(ConsensusCounters.Malformed) },
        { "proposal-without-a-block", nameof(ConsensusCounters.Malformed) },
        { "proposal-of-an-unknown-proposer", nameof(ConsensusCounters.UnknownValidator) },
        { "commit-offer-without-a-certificate", nameof(ConsensusCounters.Malformed) },
        { "vote-far-in-the-future", nameof(ConsensusCounters.FarFutureHeight) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_consensus_message_no_validator_could_send_is_dropped_and_counted(string input, string counter)
    {
        var before = await _node.HeadAsync();
        var counted = await CounterAsync(counter);

        await PushAsync(Envelope(input, before.Height));

        await _node.WaitUntilAsync($"{counter} counts the {input}", async () => await CounterAsync(counter) == counted + 1);
        (await _node.HeadAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Gossip_that_breaks_a_rule_stays_out_of_the_mempool()
    {
        var before = await _node.HeadAsync();
        var members = new Members(_node);
        var batch = new TxBatch
        {
            Transactions =
            {
                new TxEnvelope { Body = ByteString.CopyFrom(MalformedInputs.Bytes("garbage")) },
                members.Signed(CorridorGenesis.CnChamber, Members.Issue("BI-GOSSIP-WRONG-CHAIN"), chainId: "another-chain"),
                members.Signed(CorridorGenesis.KzCustoms, Members.Issue("BI-GOSSIP-WRONG-ROLE")),
            },
        };

        await PushAsync(new PeerEnvelope { FromValidator = 0, Transactions = batch });

        var status = await _node.Public.GetStatusAsync(new GetStatusRequest());
        status.MempoolSize.Should().Be(0);
        (await _node.HeadAsync()).Should().Be(before);
        foreach (var tx in batch.Transactions)
        {
            var id = TransactionSigner.IdOf(BadInputNode.ChainId, tx);
            var refused = await BadInputCalls.RefusedAsync(o => _node.Ledger.GetTransactionAsync(new GetTransactionRequest { TxId = ByteString.CopyFrom(id.Span) }, o).ResponseAsync);
            refused.StatusCode.Should().Be(Grpc.Core.StatusCode.NotFound);
        }
    }

    /// <summary>
    /// Messages validly signed by a validator, shaped to make hashing or sign bytes throw: at ec96c90 each one stopped the
    /// consensus loop (a vote of an unknown type naming a later height; a proposal whose attached block has a hash field
    /// of 31 bytes). The node must drop them and go on committing.
    /// </summary>
    [Fact]
    public async Task Validly_signed_messages_that_cannot_be_hashed_are_dropped_and_the_node_keeps_committing()
    {
        var key = _node.ValidatorKey!.Private;
        var head = (await _node.HeadAsync()).Height;
        var id = Hash32.Sha256("unhashable"u8);
        var block = new Block { Header = new BlockHeader { ChainId = BadInputNode.ChainId, Height = head + 1, PreviousBlockHash = ByteString.CopyFrom(new byte[31]) } };
        var proposal = new ProposalMessage
        {
            Height = head + 1,
            Round = 0,
            ValidRound = -1,
            BlockId = ByteString.CopyFrom(id.Span),
            ProposerIndex = 0,
            Block = block,
            Signature = ByteString.CopyFrom(SignatureSuites.Sign(key, Ledger.Contracts.Consensus.ConsensusSignBytes.ForProposal(BadInputNode.ChainId, head + 1, 0, id, -1))),
        };
        // Signed as a prevote, sent as type 3: the sign bytes of an unknown type cannot even be built.
        var vote = new VoteMessage
        {
            Type = (VoteType)3,
            Height = head + 2,
            Round = 0,
            BlockId = ByteString.CopyFrom(id.Span),
            ValidatorIndex = 0,
            Signature = ByteString.CopyFrom(SignatureSuites.Sign(key, Ledger.Contracts.Consensus.ConsensusSignBytes.ForVote(BadInputNode.ChainId, VoteType.Prevote, head + 2, 0, id))),
        };

        await PushAsync(new PeerEnvelope { Proposal = proposal });
        await PushAsync(new PeerEnvelope { Vote = vote });

        var committed = await _node.CommitAsync(new Members(_node).Signed(CorridorGenesis.CnChamber, Members.Issue("BI-AFTER-UNHASHABLE")));
        committed.Receipt.Receipt.Code.Should().Be(Ledger.Contracts.Rules.RuleCatalog.Ok);
    }

    private async Task PushAsync(PeerEnvelope envelope)
    {
        using var push = _node.Consensus.Push(deadline: DateTime.UtcNow.Add(BadInputNode.Deadline));
        await push.RequestStream.WriteAsync(envelope);
        await push.RequestStream.CompleteAsync();
        (await push.ResponseAsync).Should().NotBeNull("the stream is acknowledged: a bad message is dropped, not the peer");
    }

    private async Task<ulong> CounterAsync(string name)
    {
        var counters = (await _node.Public.GetStatusAsync(new GetStatusRequest())).ConsensusCounters;
        return (ulong)typeof(ConsensusCounters).GetProperty(name)!.GetValue(counters)!;
    }

    private static PeerEnvelope Envelope(string input, ulong head)
    {
        var height = head + 1;
        var blockId = ByteString.CopyFrom(Enumerable.Repeat((byte)0xAB, Hash32.Size).ToArray());
        var signature = ByteString.CopyFrom(new byte[64]);
        var vote = new VoteMessage { Type = VoteType.Prevote, Height = height, Round = 0, BlockId = blockId, ValidatorIndex = 0, Signature = signature };
        return input switch
        {
            "vote-with-a-bad-signature" => new PeerEnvelope { Vote = vote },
            "vote-of-an-unknown-validator" => new PeerEnvelope { Vote = new VoteMessage(vote) { ValidatorIndex = 7 } },
            "vote-with-a-short-block-id" => new PeerEnvelope { Vote = new VoteMessage(vote) { BlockId = ByteString.CopyFrom(1, 2, 3) } },
            "vote-of-no-type" => new PeerEnvelope { Vote = new VoteMessage(vote) { Type = VoteType.Unspecified } },
            "proposal-without-a-block" => new PeerEnvelope { Proposal = new ProposalMessage { Height = height, BlockId = ByteString.CopyFrom(1, 2), ValidRound = -1, Signature = signature } },
            "proposal-of-an-unknown-proposer" => new PeerEnvelope { Proposal = new ProposalMessage { Height = height, BlockId = blockId, ValidRound = -1, ProposerIndex = 9, Signature = signature } },
            "commit-offer-without-a-certificate" => new PeerEnvelope { CommitOffer = new CommitOfferMessage() },
            "vote-far-in-the-future" => new PeerEnvelope { Vote = new VoteMessage(vote) { Height = height + 1_000 } },
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "no such case"),
        };
    }
}
