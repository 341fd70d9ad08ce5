using System.Diagnostics;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>How many signatures one core verifies a second on this machine, measured in one-second windows.</summary>
public static class SignatureRate
{
    /// <summary>One core verifying one signature of a suite over 1 KiB, again and again, for about a second: cold, in one window.</summary>
    public static double VerificationsPerSecond(KeySuite suite) => Measure(SuiteVerify(suite), warmWindows: 0).FirstSecondPerSecond;

    /// <summary>The same, warm: the first second, one more second not counted, then <paramref name="windows"/> seconds.</summary>
    public static WarmRate Warm(KeySuite suite, int windows) => Measure(SuiteVerify(suite), windows);

    /// <summary>
    /// The nodes' own path for a transaction's signature (the stateless rules a node checks at Submit and for a
    /// proposed block: parse, canonical form, limits, the signature), over the given envelopes in turn.
    /// </summary>
    public static WarmRate NodePath(IReadOnlyList<TxEnvelope> envelopes, string chainId, Limits limits, int windows)
    {
        var next = 0;
        return Measure(() =>
        {
            var envelope = envelopes[next];
            next = (next + 1) % envelopes.Count;
            return TransactionDecoder.Decode(envelope, chainId, limits).Transaction is not null;
        }, windows);
    }

    private static Func<bool> SuiteVerify(KeySuite suite)
    {
        var key = SignatureSuites.Generate(suite);
        var message = new byte[1024];
        var signature = SignatureSuites.Sign(key.Private, message);
        return () => SignatureSuites.Verify(key.Public, message, signature);
    }

    private static WarmRate Measure(Func<bool> verifyOnce, int warmWindows)
    {
        var first = Window(verifyOnce);
        if (warmWindows == 0)
        {
            return new WarmRate(first, []);
        }
        // A second not counted between the first window and the warm ones: the runtime's start-up work, the
        // caches and the CPU's frequency settle there, not in a counted window.
        Window(verifyOnce);
        var windows = Enumerable.Range(0, warmWindows).Select(_ => Window(verifyOnce)).ToArray();
        return new WarmRate(first, windows);
    }

    private static double Window(Func<bool> verifyOnce)
    {
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.ElapsedMilliseconds < 1_000)
        {
            if (!verifyOnce())
            {
                throw new InvalidOperationException("a valid signature failed to verify");
            }
            count++;
        }
        return count / clock.Elapsed.TotalSeconds;
    }
}
