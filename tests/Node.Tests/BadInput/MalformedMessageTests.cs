using Grpc.Core;
using Ledger.Node.Hosting;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Bytes that are no message of the method's request type, sent to every RPC of both services through
/// a pass-through marshaller: the server's deserializer meets them, the call ends InvalidArgument (or
/// ResourceExhausted past the size limit), nothing is committed, and the node keeps serving.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class MalformedMessageTests
{
    private readonly BadInputNode _node;

    public MalformedMessageTests(BadInputNode node) => _node = node;

    public static TheoryData<string, string, MethodType, string> Cases()
    {
        var data = new TheoryData<string, string, MethodType, string>();
        foreach (var (service, method, type) in RawCalls.Methods)
        {
            foreach (var input in MalformedInputs.Names)
            {
                data.Add(service, method, type, input);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_bytes_are_refused_as_invalid_and_change_nothing(string service, string method, MethodType type, string input)
    {
        var before = await _node.HeadAsync();

        var refused = await RawCalls.FailAsync(_node.Channel, service, method, type, MalformedInputs.Bytes(input));

        refused.StatusCode.Should().Be(StatusCode.InvalidArgument, $"{service}/{method} given {input} bytes: {refused.Status.Detail}");
        refused.Status.Detail.Should().Contain("request", "the message says what was wrong with the request");
        (await _node.HeadAsync()).Should().Be(before, "a refused request commits nothing");
    }

    [Theory]
    [InlineData("GetCertificate")]
    [InlineData("GetConsignment")]
    [InlineData("VerifyCertificate")]
    public async Task Invalid_utf8_in_a_string_field_is_refused_as_invalid(string method)
    {
        var before = await _node.HeadAsync();

        var refused = await RawCalls.FailAsync(_node.Channel, "ledger.v1.Ledger", method, MethodType.Unary, MalformedInputs.Bytes("invalid-utf8"));

        refused.StatusCode.Should().Be(StatusCode.InvalidArgument, $"{method}: {refused.Status.Detail}");
        (await _node.HeadAsync()).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_message_past_the_receive_limit_is_refused_as_resource_exhausted(string service, string method, MethodType type)
    {
        var before = await _node.HeadAsync();

        var refused = await RawCalls.FailAsync(_node.Channel, service, method, type, new byte[LedgerNode.MessageBytesMax + 1]);

        refused.StatusCode.Should().Be(StatusCode.ResourceExhausted, $"{service}/{method}: {refused.Status.Detail}");
        (await _node.HeadAsync()).Should().Be(before);
    }

    public static TheoryData<string, string, MethodType> Methods()
    {
        var data = new TheoryData<string, string, MethodType>();
        foreach (var (service, method, type) in RawCalls.Methods)
        {
            data.Add(service, method, type);
        }
        return data;
    }
}
