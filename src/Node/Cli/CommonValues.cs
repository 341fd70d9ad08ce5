namespace Ledger.Node.Cli;

/// <summary>The common options as given (command line first, then the environment).</summary>
public sealed record CommonValues(IReadOnlyList<string> Nodes, string? GenesisPath, string? KeyPath, string? Organisation, bool Json, string? CaPath);
