using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Rules;
using Ledger.Node.Services;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// A well-formed message of another type carries no mark of its type: the server reads it as its own
/// request, keeping what it does not know as unknown fields. What follows must be the answer that
/// request deserves: refused for the fields it lacks or has wrong, or answered when it asks for nothing
/// wrong (GetStatus takes any message). Never Unknown or Internal, and nothing is committed. Each is
/// sent as who the method is for (<see cref="BadInputNode.IdentityFor"/>: the node checks the signature
/// over the request as it parsed it), so that the answer is the fields', not the identity gate's.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class WrongMessageTypeTests
{
    private static readonly byte[] ThirtyTwoZeros = new byte[32];
    private readonly BadInputNode _node;

    public WrongMessageTypeTests(BadInputNode node) => _node = node;

    public static TheoryData<string, string, StatusCode, string?> Cases() => new()
    {
        // SubmitRequest's field 1 is a message; a varint there is unknown: no transaction.
        { "Submit", "GetBlockRequest", StatusCode.InvalidArgument, null },
        // A certificate id read as tx_id: not 32 bytes.
        { "GetTransaction", "GetCertificateRequest", StatusCode.InvalidArgument, null },
        // Thirty-two zero bytes read as a certificate id: valid UTF-8, no such certificate.
        { "GetCertificate", "GetTransactionRequest", StatusCode.NotFound, RuleCatalog.CertUnknown },
        { "GetConsignment", "GetTransactionRequest", StatusCode.NotFound, RuleCatalog.ConsignmentUnknown },
        { "VerifyCertificate", "GetBlockRequest", StatusCode.InvalidArgument, null },
        // A string where a height is: unknown, so height 0, which holds no block.
        { "GetBlock", "GetCertificateRequest", StatusCode.NotFound, null },
        { "StreamBlocks", "GetCertificateRequest", StatusCode.OK, null },
        { "GetStatus", "SubmitRequest", StatusCode.OK, null },
        { "Push", "Block", StatusCode.OK, null },
        { "GetBlocks", "GetCertificateRequest", StatusCode.OK, null },
        { "GetProposedBlock", "GetBlockRequest", StatusCode.InvalidArgument, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_message_of_another_type_gets_the_answer_its_fields_deserve(string method, string sent, StatusCode status, string? code)
    {
        var before = await _node.HeadAsync();
        var access = await _node.AccessCountersAsync();
        var (service, _, type) = RawCalls.Methods.Single(m => m.Method == method);
        var bytes = Message(sent).ToByteArray();

        var refused = await RawCalls.CallAsync(_node.Channel, service, method, type, bytes, _node.IdentityFor(service, method, type, bytes));

        (refused?.StatusCode ?? StatusCode.OK).Should().Be(status, refused?.Status.Detail);
        refused?.Trailers.GetValue(RefusalStatus.RuleCodeTrailer).Should().Be(code);
        (await _node.HeadAsync()).Should().Be(before);
        (await _node.AccessCountersAsync()).Should().Be(access, "the identity passed the gate: the answer is the fields'");
    }

    private static IMessage Message(string type) => type switch
    {
        "GetBlockRequest" => new GetBlockRequest { Height = 7 },
        "GetCertificateRequest" => new GetCertificateRequest { CertificateId = "cn-ccpit/BI-WRONG-TYPE" },
        "GetTransactionRequest" => new GetTransactionRequest { TxId = ByteString.CopyFrom(ThirtyTwoZeros) },
        "SubmitRequest" => new SubmitRequest { Transaction = new TxEnvelope { Body = ByteString.CopyFrom(1, 2, 3) }, WaitForCommit = true },
        "Block" => new Block { Header = new BlockHeader { Height = 1_000 } },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no such message here"),
    };
}
