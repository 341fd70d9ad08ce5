using Google.Protobuf;
using Ledger.Contracts.Execution;
using Ledger.Wire;
using Xunit.Abstractions;

namespace Ledger.Contracts.Tests.Fuzz;

/// <summary>
/// The decoder decides "canonical or not" by re-encoding a body and comparing bytes, and names the offending
/// field with <see cref="CanonicalEncoding"/>'s walk over the received bytes. The two must agree on every body
/// that parses, or a refusal would name no field, or the walk would call a canonical body wrong.
/// </summary>
public sealed class CanonicalWalkFuzzTests(ITestOutputHelper output)
{
    private static readonly MessageParser<TxBody> Parser = TxBody.Parser.WithDiscardUnknownFields(true);

    [Fact]
    public void The_walk_finds_a_violation_exactly_when_the_body_does_not_re_encode_to_itself()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"canonical walk fuzz: seed {seed} (LEDGER_FUZZ_SEED={seed} replays it)");
        var mutator = new EnvelopeMutator(DecoderCorpus.Entries, new Random(seed));
        int canonical = 0, refused = 0;
        for (var i = 0; i < 4_000; i++)
        {
            var (input, steps) = mutator.Next();
            byte[] body;
            TxBody parsed;
            try
            {
                body = TxEnvelope.Parser.ParseFrom(input).Body.ToByteArray();
                parsed = Parser.ParseFrom(body);
            }
            catch (InvalidProtocolBufferException)
            {
                continue;
            }
            var reEncodes = parsed.ToByteArray().AsSpan().SequenceEqual(body);
            var violation = CanonicalEncoding.FirstViolation(body, TxBody.Descriptor);

            (violation is null).Should().Be(reEncodes,
                $"seed {seed}, iteration {i}, {steps}: the walk said '{violation?.Message}' of body {Convert.ToHexStringLower(body)}");
            canonical += reEncodes ? 1 : 0;
            refused += reEncodes ? 0 : 1;
        }
        output.WriteLine($"{canonical} canonical bodies, {refused} not canonical");
        canonical.Should().BePositive();
        refused.Should().BePositive();
    }

    [Fact]
    public void Every_corpus_body_is_canonical_to_the_walk()
    {
        foreach (var entry in DecoderCorpus.Entries)
        {
            CanonicalEncoding.FirstViolation(entry.Body, TxBody.Descriptor).Should().BeNull($"{entry.Kind}/{entry.Suite} is written by the reference encoder");
        }
    }
}
