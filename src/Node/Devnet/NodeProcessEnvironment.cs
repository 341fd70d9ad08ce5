namespace Ledger.Node.Devnet;

/// <summary>
/// The runtime settings a node process is started with. The executable keeps Server GC for its short jobs
/// (the auditor's replay is ~20% faster with it); a node is long-lived and its memory is bounded, so it
/// runs workstation GC under a heap limit, about half the RSS of Server GC (docs/PERFORMANCE.md, "What holds a
/// node's memory"). docs/OPERATIONS.md sets the same for a service.
/// </summary>
public static class NodeProcessEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> Settings { get; } =
    [
        new("DOTNET_gcServer", "0"),
        // No GCConserveMemory any more: under the limit it only added compactions, ~5% of the CPU a transaction
        // (docs/PERFORMANCE.md, "The GC's ConserveMemory dropped"). 384 MiB (the runtime reads hexadecimal) for the GC heap. Live data stays near 230 MB at 1,000,000
        // certificates; without a limit gen2 grew to ~420 MB between compactions, and RSS, ~100 MB above the
        // heap, went past 500 MiB.
        new("DOTNET_GCHeapHardLimit", "0x18000000"),
    ];

    /// <summary>Adds the settings a caller has not chosen itself: a variable already set is left as it is.</summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in Settings)
        {
            if (!environment.TryGetValue(name, out var chosen) || string.IsNullOrEmpty(chosen))
            {
                environment[name] = value;
            }
        }
    }
}
