using System.Diagnostics;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>How many signatures of a suite one core verifies per second on this machine, measured for about a second.</summary>
public static class SignatureRate
{
    public static double VerificationsPerSecond(KeySuite suite)
    {
        var key = SignatureSuites.Generate(suite);
        var message = new byte[1024];
        var signature = SignatureSuites.Sign(key.Private, message);
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.ElapsedMilliseconds < 1_000)
        {
            if (!SignatureSuites.Verify(key.Public, message, signature))
            {
                throw new InvalidOperationException("a fresh signature failed to verify");
            }
            count++;
        }
        return count / clock.Elapsed.TotalSeconds;
    }
}
