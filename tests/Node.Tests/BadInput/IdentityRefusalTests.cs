using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Node.Access;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Node-to-node calls without an identity (docs/SECURITY.md): PermissionDenied with PEER_NOT_VALIDATOR,
/// counted, and nothing reaches consensus. A stream from the client is gated when it opens, so what it
/// carries is never read, even bytes that are no message. The member reads, and anonymous GetBlocks and
/// an empty Push, are in Access.AccessOnNetworkTests.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class IdentityRefusalTests
{
    private readonly BadInputNode _node;

    public IdentityRefusalTests(BadInputNode node) => _node = node;

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "GetProposedBlock", "a-block-id", AccessCodes.PeerNotValidator },
        { "Push", "a-vote", AccessCodes.PeerNotValidator },
        // Not InvalidArgument: the gate comes before the first message is read.
        { "Push", "garbage", AccessCodes.PeerNotValidator },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_node_to_node_call_without_identity_is_refused_and_changes_nothing(string method, string input, string code)
    {
        var before = await _node.HeadAsync();
        var status = await _node.Public.GetStatusAsync(new GetStatusRequest());
        var (service, _, type) = RawCalls.Methods.Single(m => m.Method == method);

        var refused = await RawCalls.FailAsync(_node.Channel, service, method, type, Request(input, before.Height));

        refused.ShouldBeRefusal(StatusCode.PermissionDenied, code);
        refused.Status.Detail.Should().Contain($"/{service}/{method} is for validators");
        (await _node.HeadAsync()).Should().Be(before);
        var after = await _node.Public.GetStatusAsync(new GetStatusRequest());
        after.AccessCounters.Should().Be(new AccessCounters(status.AccessCounters) { RefusedPeerCalls = status.AccessCounters.RefusedPeerCalls + 1 });
        after.ConsensusCounters.Should().Be(status.ConsensusCounters, "nothing the call carried reached consensus");
        after.MempoolSize.Should().Be(0);
    }

    private static byte[] Request(string input, ulong head) => input switch
    {
        "a-block-id" => new GetProposedBlockRequest { BlockId = ByteString.CopyFrom(new byte[Hash32.Size]) }.ToByteArray(),
        // Signed by nobody: had it been read, it would be counted as a bad signature.
        "a-vote" => new PeerEnvelope
        {
            Vote = new VoteMessage
            {
                Type = VoteType.Prevote,
                Height = head + 1,
                BlockId = ByteString.CopyFrom(new byte[Hash32.Size]),
                ValidatorIndex = 0,
                Signature = ByteString.CopyFrom(new byte[64]),
            },
        }.ToByteArray(),
        "garbage" => MalformedInputs.Bytes("garbage"),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "no such case"),
    };
}
