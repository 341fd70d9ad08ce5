namespace Ledger.Node.Devnet;

/// <summary>
/// The runtime settings a node process is started with. The executable keeps Server GC for its short jobs
/// (the auditor's replay is ~20% faster with it); a node is long-lived and its memory is bounded, so it
/// runs workstation GC under a heap limit, about half the RSS of Server GC (docs/history/PERFORMANCE-HISTORY.md, "What holds a
/// node's memory"). docs/OPERATIONS.md sets the same for a service.
/// </summary>
public static class NodeProcessEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> Settings { get; } =
    [
        new("DOTNET_gcServer", "0"),
        // No GCConserveMemory any more: under the limit it only added compactions, ~5% of the CPU a transaction
        // (docs/history/PERFORMANCE-HISTORY.md, "The GC's ConserveMemory dropped"). 384 MiB (the runtime reads hexadecimal) for the GC heap. Live data stays near 230 MB at 1,000,000
        // certificates; without a limit gen2 grew to ~420 MB between compactions, and RSS, ~100 MB above the
        // heap, went past 500 MiB.
        new("DOTNET_GCHeapHardLimit", "0x18000000"),
    ];

    /// <summary>
    /// For nodes that keep every core of the machine busy between them: gen2 collections block rather than run on a
    /// background thread, which has no idle core to run on and costs more work in all. Four validators on two cores:
    /// ~5% less CPU a transaction, p99 at 1,000 tx/s no worse. One node with a core to spare runs ~10–20% slower
    /// without the background GC at 800,000 certificates (docs/history/PERFORMANCE-HISTORY.md, "Tenth session").
    /// </summary>
    public static KeyValuePair<string, string> SharedCoresSetting { get; } = new("DOTNET_gcConcurrent", "0");

    /// <summary>Whether <paramref name="nodes"/> node processes on this machine keep all its cores busy.</summary>
    public static bool SharesCores(int nodes) => nodes >= Environment.ProcessorCount;

    /// <summary>Adds the settings a caller has not chosen itself: a variable already set is left as it is.</summary>
    /// <param name="sharesCores">The node is one of enough on this machine to keep all its cores busy (<see cref="SharesCores"/>).</param>
    public static void Apply(IDictionary<string, string?> environment, bool sharesCores)
    {
        foreach (var (name, value) in sharesCores ? [.. Settings, SharedCoresSetting] : Settings)
        {
            if (!environment.TryGetValue(name, out var chosen) || string.IsNullOrEmpty(chosen))
            {
                environment[name] = value;
            }
        }
    }
}
