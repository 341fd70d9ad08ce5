using System.Diagnostics;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>
/// Certificate transactions signed before a run and kept in a file (length-delimited envelopes), so that a
/// million of them neither fill the driver's memory nor take the node's CPU for signing while it is measured.
/// </summary>
public static class SignedEnvelopeFile
{
    // Signed a chunk at a time on all cores: enough to keep the cores busy, small enough to hold in memory.
    private const int ChunkTransactions = 20_000;

    /// <summary>Signs <paramref name="count"/> certificate transactions into the file; returns the seconds spent.</summary>
    public static async Task<double> WriteAsync(
        string path, string chainId, IReadOnlyList<(string Organisation, KeyPair Key)> chambers, int count, long nowMs, TextWriter progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        for (var first = 0; first < count; first += ChunkTransactions)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = CertificateLoad.Sign(chainId, chambers, first, Math.Min(ChunkTransactions, count - first), nowMs);
            foreach (var envelope in chunk)
            {
                envelope.WriteDelimitedTo(file);
            }
            if ((first / ChunkTransactions) % 10 == 9)
            {
                progress.WriteLine($"  signed {first + chunk.Length} of {count} ({(first + chunk.Length) / clock.Elapsed.TotalSeconds:F0}/s)");
            }
        }
        await file.FlushAsync(ct);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The envelopes of the file, in order, read as they are needed.</summary>
    public static IEnumerable<TxEnvelope> Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        while (file.Position < file.Length)
        {
            yield return TxEnvelope.Parser.ParseDelimitedFrom(file);
        }
    }
}
