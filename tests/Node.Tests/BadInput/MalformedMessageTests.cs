using Grpc.Core;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// Bytes that are no message of the method's request type, sent to every RPC of both services through
/// a pass-through marshaller: the server's deserializer meets them, the call ends InvalidArgument (or
/// ResourceExhausted past the size limit), nothing is committed, and the node keeps serving.
/// Unary and server-streaming requests are parsed before the service runs, so before its identity gate:
/// bytes that are no request are refused without asking who sent them, and no call is counted as refused
/// for its caller. A stream from the client is gated when it opens, before its first message is read:
/// Push is called as validator 0, so that its deserializer is what meets the bytes (without an identity
/// the gate refuses it first: IdentityRefusalTests).
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
        var access = await _node.AccessCountersAsync();

        var refused = await RawCalls.FailAsync(_node.Channel, service, method, type, MalformedInputs.Bytes(input), Identity(service, method, type));

        refused.StatusCode.Should().Be(StatusCode.InvalidArgument, $"{service}/{method} given {input} bytes: {refused.Status.Detail}");
        refused.Status.Detail.Should().Contain("request", "the message says what was wrong with the request");
        (await _node.HeadAsync()).Should().Be(before, "a refused request commits nothing");
        (await _node.AccessCountersAsync()).Should().Be(access, "the bytes are refused before, or after passing, the identity gate: never by it");
    }

    [Theory]
    [InlineData("GetCertificate")]
    [InlineData("GetConsignment")]
    [InlineData("VerifyCertificate")]
    public async Task Invalid_utf8_in_a_string_field_is_refused_as_invalid(string method)
    {
        var before = await _node.HeadAsync();
        var access = await _node.AccessCountersAsync();

        // No identity: GetCertificate and GetConsignment are for members, but the parse refusal comes first.
        var refused = await RawCalls.FailAsync(_node.Channel, "ledger.v1.Ledger", method, MethodType.Unary, MalformedInputs.Bytes("invalid-utf8"));

        refused.StatusCode.Should().Be(StatusCode.InvalidArgument, $"{method}: {refused.Status.Detail}");
        (await _node.HeadAsync()).Should().Be(before);
        (await _node.AccessCountersAsync()).Should().Be(access);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_message_past_the_receive_limit_is_refused_as_resource_exhausted(string service, string method, MethodType type)
    {
        var before = await _node.HeadAsync();

        var access = await _node.AccessCountersAsync();

        var refused = await RawCalls.FailAsync(_node.Channel, service, method, type, new byte[LedgerNode.MessageBytesMax + 1], Identity(service, method, type));

        refused.StatusCode.Should().Be(StatusCode.ResourceExhausted, $"{service}/{method}: {refused.Status.Detail}");
        (await _node.HeadAsync()).Should().Be(before);
        (await _node.AccessCountersAsync()).Should().Be(access);
    }

    /// <summary>None for a request parsed before the service runs; the identity its gate asks for when a stream opens.</summary>
    private Metadata? Identity(string service, string method, MethodType type) =>
        type == MethodType.ClientStreaming ? _node.IdentityFor(service, method, type, []) : null;

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
