using System.Diagnostics;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using Xunit.Abstractions;

namespace Ledger.Contracts.Tests.Fuzz;

/// <summary>
/// The transaction decoder's fuzz target: mutated corpus envelopes (see <see cref="EnvelopeMutator"/>)
/// fed to <see cref="TransactionDecoder"/>. Invariant: a decoded transaction whose envelope re-encodes
/// to the same signed bytes and id, or a refusal with a catalog code and a message; never another
/// exception, never a hang. CI runs a bounded number of iterations; LEDGER_FUZZ_ITERATIONS and
/// LEDGER_FUZZ_SEED run longer or replay a seed, LEDGER_FUZZ_INPUT (hex) replays one input
/// (docs/TESTING.md). A failure names the seed, the iteration, the mutations and the input's hex.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int CiIterations = 2_000;
    private static readonly TimeSpan InputTimeMax = TimeSpan.FromSeconds(2);
    private static readonly Limits Limits = TestNetwork.Config().Limits;

    [Fact]
    public async Task Mutated_envelopes_decode_to_a_transaction_that_re_encodes_or_to_a_catalog_refusal()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_FUZZ_ITERATIONS"), out var n) ? n : CiIterations;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        output.WriteLine($"decoder fuzz: seed {seed}, {iterations} iterations (LEDGER_FUZZ_SEED={seed} replays them)");
        var mutator = new EnvelopeMutator(DecoderCorpus.Entries, new Random(seed));
        var current = new FuzzInput([], "", 0);
        var decoded = 0;

        // On a worker, so that an input that hangs the decoder is reported instead of hanging the run.
        var run = Task.Run(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                var (input, steps) = mutator.Next();
                Volatile.Write(ref current, new FuzzInput(input, steps, i));
                decoded += Check(input, $"seed {seed}, iteration {i}, {steps}") ? 1 : 0;
            }
        });
        var budget = TimeSpan.FromSeconds(30) + (iterations * InputTimeMax / 100);
        if (await Task.WhenAny(run, Task.Delay(budget)) != run)
        {
            var stuck = Volatile.Read(ref current);
            throw new TimeoutException($"the decoder did not finish within {budget}: {Describe(stuck.Input, $"seed {seed}, iteration {stuck.Iteration}, {stuck.Steps}")}");
        }
        await run;
        output.WriteLine($"{decoded} of {iterations} inputs decoded, the others refused");
        decoded.Should().BeGreaterThan(0, "re-signed mutations of bodies leave some transactions valid: without them the fuzzer would only test refusals");
    }

    [Fact]
    public void An_input_given_as_hex_is_replayed_through_the_invariant()
    {
        // Without LEDGER_FUZZ_INPUT, the corpus itself: every kind and suite decodes.
        var hex = Environment.GetEnvironmentVariable("LEDGER_FUZZ_INPUT");
        var inputs = hex is null ? DecoderCorpus.Entries.Select(e => e.Envelope).ToArray() : [Convert.FromHexString(hex)];
        foreach (var input in inputs)
        {
            var valid = Check(input, "replayed input");
            if (hex is null)
            {
                valid.Should().BeTrue($"every corpus entry is a valid transaction: {Convert.ToHexStringLower(input)}");
            }
        }
    }

    [Fact]
    public void The_corpus_holds_every_kind_with_every_suite()
    {
        var corpus = DecoderCorpus.Entries;
        corpus.Select(e => (e.Kind, e.Suite)).Should().BeEquivalentTo(
            DecoderCorpus.Kinds.SelectMany(k => DecoderCorpus.Suites.Select(s => (k, s))));
        corpus.Select(e => TxBody.Parser.ParseFrom(e.Body).KindCase).Should().Equal(corpus.Select(e => e.Kind));
    }

    /// <summary>The invariant for one input; true when it decoded to a transaction.</summary>
    private static bool Check(byte[] input, string where)
    {
        var watch = Stopwatch.StartNew();
        DecodeResult result;
        try
        {
            result = TransactionDecoder.Decode(input, TestNetwork.ChainId, Limits);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the decoder threw {e.GetType().Name}: {e.Message}; {Describe(input, where)}", e);
        }
        if (watch.Elapsed > InputTimeMax)
        {
            throw new TimeoutException($"one input took {watch.Elapsed.TotalMilliseconds:F0} ms to decode; {Describe(input, where)}");
        }
        if (result.Transaction is { } tx)
        {
            Assert(result.Refusal is null, "a decoded transaction came with a refusal", input, where);
            var received = TxEnvelope.Parser.ParseFrom(input);
            Assert(tx.Envelope.Body.Equals(received.Body), "the decoded envelope's body is not the body received", input, where);
            var signedBytes = SignedBytes.ForTransaction(TestNetwork.ChainId, received.Body.Span);
            Assert(tx.Id == Hash32.Sha256(signedBytes), "the id is not the hash of the received body's signed bytes", input, where);
            var again = TransactionDecoder.Decode(tx.Envelope.ToByteArray(), TestNetwork.ChainId, Limits);
            Assert(again.Transaction?.Id == tx.Id && again.Transaction.Body.Equals(tx.Body),
                $"the re-encoded envelope does not decode to the same transaction ({again.Refusal})", input, where);
            return true;
        }
        Assert(result.Refusal is not null, "neither a transaction nor a refusal", input, where);
        Assert(RuleCatalog.RefusalCodes.Contains(result.Refusal!.Code), $"refused with '{result.Refusal.Code}', which is not a catalog code", input, where);
        Assert(!string.IsNullOrWhiteSpace(result.Refusal.Message), $"refused with {result.Refusal.Code} and no message", input, where);
        return false;
    }

    private static void Assert(bool holds, string what, byte[] input, string where)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"{what}; {Describe(input, where)}");
        }
    }

    private sealed record FuzzInput(byte[] Input, string Steps, int Iteration);

    private static string Describe(byte[] input, string where) =>
        $"{where}; input ({input.Length} bytes, replay with LEDGER_FUZZ_INPUT): {Convert.ToHexStringLower(input)}";
}
