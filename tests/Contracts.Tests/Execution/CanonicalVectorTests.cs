using System.Text.Json;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Execution;

/// <summary>
/// Checks the frozen vectors of tests/vectors/tx-canonical.json, made without our code: the decoder must give
/// each body exactly the stored answer, so the file and the node cannot drift apart.
/// </summary>
public sealed class CanonicalVectorTests
{
    private const string MessagePrefix = "the body is not in canonical form: ";

    public static TheoryData<string> Descriptions => new(Load().Vectors.Select(v => v.Description));

    [Fact]
    public void The_file_holds_the_canonical_body_and_every_form_the_issue_lists()
    {
        var vectors = Load().Vectors;

        vectors.Count(v => v.Code == RuleCatalog.Ok).Should().Be(1);
        vectors.Select(v => v.Message).Should().Contain(m => m.Contains("is not a field of", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("comes after", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("field 1 (chain_id) appears twice", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("oneof kind holds one member at most", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("default value", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void The_decoder_gives_each_body_its_stored_answer(string description)
    {
        var file = Load();
        var vector = file.Vectors.Single(v => v.Description == description);
        var envelope = new TxEnvelope { Body = ByteString.CopyFrom(vector.Body), Signature = ByteString.CopyFrom(vector.Signature) };
        var key = new PublicKey { Suite = KeySuite.Ed25519, Key = ByteString.CopyFrom(file.PublicKey) };
        var limits = TestNetwork.Config().Limits;

        var result = TransactionDecoder.Decode(envelope.ToByteArray(), file.ChainId, limits);

        SignatureSuites.Verify(key, SignedBytes.ForTransaction(file.ChainId, vector.Body), vector.Signature)
            .Should().BeTrue("every vector is validly signed, so a refusal can only be for its encoding");
        if (vector.Code == RuleCatalog.Ok)
        {
            result.Refusal.Should().BeNull();
            result.Transaction!.Body.ToByteArray().Should().Equal(vector.Body);
            return;
        }
        result.Refusal!.Code.Should().Be(vector.Code);
        result.Refusal.Kind.Should().Be(RefusalKind.InvalidArgument);
        result.Refusal.Message.Should().Be(MessagePrefix + vector.Message, result.Refusal.Message);
        CanonicalEncoding.FirstViolation(vector.Body, TxBody.Descriptor)!.Field.Should().Be(vector.Field);
    }

    private static VectorFile Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "tx-canonical.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        return new VectorFile(
            root.GetProperty("chainId").GetString()!,
            Convert.FromHexString(root.GetProperty("publicKey").GetString()!),
            root.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
                v.GetProperty("description").GetString()!,
                Convert.FromHexString(v.GetProperty("body").GetString()!),
                Convert.FromHexString(v.GetProperty("signature").GetString()!),
                v.GetProperty("code").GetString()!,
                v.GetProperty("field").GetString()!,
                v.GetProperty("message").GetString()!)).ToList());
    }

    private sealed record VectorFile(string ChainId, byte[] PublicKey, IReadOnlyList<Vector> Vectors);

    private sealed record Vector(string Description, byte[] Body, byte[] Signature, string Code, string Field, string Message);
}
