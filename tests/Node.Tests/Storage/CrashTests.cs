using System.Diagnostics;
using System.Reflection;
using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

namespace Ledger.Node.Tests.Storage;

/// <summary>
/// A real process, killed with SIGKILL while it commits blocks: every height it reported committed
/// must be there, intact, and the store must take the next block. (Power loss is not simulated here:
/// see docs/ARCHITECTURE.md, "Storage", for what the fsync after each commit adds.)
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const int TransactionsPerBlock = 200;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(120);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 6)]
    [InlineData(4, 10)]
    [InlineData(6, 20)]
    public async Task Every_height_reported_before_a_SIGKILL_is_present_and_the_store_goes_on(int seed, int killAfterHeights)
    {
        var reported = await RunAndKill(seed, killAfterHeights);

        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        // Every reported height is there; the writer may have committed more between its last line and the kill
        // (the pipe is read asynchronously), and HoldsChain checks each of them whole.
        store.Head.Height.Should().BeGreaterThanOrEqualTo(reported);
        var chain = StoreChecks.HoldsChain(store, seed, TransactionsPerBlock);
        var next = chain.Next();
        store.CommitBlock(next);
        store.Head.Should().Be(chain.Head);
    }

    [Fact]
    public async Task A_writer_killed_twice_resumes_its_chain_each_time()
    {
        await RunAndKill(seed: 5, killAfterHeights: 2);
        var reported = await RunAndKill(seed: 5, killAfterHeights: 2);

        using var database = new NodeDatabase(_folder.Path);
        var store = new BlockStore(database, SyntheticChain.Identity);
        store.Head.Height.Should().BeGreaterThanOrEqualTo(reported);
        StoreChecks.HoldsChain(store, 5, TransactionsPerBlock);
    }

    /// <summary>Starts the writer, waits for <paramref name="killAfterHeights"/> "committed" lines, kills it; returns the last height it reported.</summary>
    private async Task<ulong> RunAndKill(int seed, int killAfterHeights)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { WriterDll(), _folder.Path, seed.ToString(System.Globalization.CultureInfo.InvariantCulture), TransactionsPerBlock.ToString(System.Globalization.CultureInfo.InvariantCulture), "1000" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the crash writer did not start");
        ulong last = 0;
        try
        {
            using var timeout = new CancellationTokenSource(LineTimeout);
            for (var seen = 0; seen < killAfterHeights;)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"the crash writer ended early: {await process.StandardError.ReadToEndAsync()}");
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    last = ulong.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    seen++;
                }
            }
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix: no finaliser, no LiteDB checkpoint, no flush.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return last;
    }

    private static string WriterDll()
    {
        var path = typeof(CrashTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "StorageCrashWriterDll").Value!;
        File.Exists(path).Should().BeTrue($"the crash writer is built with the tests, at {path}");
        return path;
    }
}
