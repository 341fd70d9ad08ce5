using Ledger.Contracts.Crypto;

namespace Ledger.Node.Cli;

/// <summary>The common options as given (command line first, then the environment); <paramref name="KeyFile"/> says how to open the key file.</summary>
public sealed record CommonValues(IReadOnlyList<string> Nodes, string? GenesisPath, string? KeyPath, string? Organisation, bool Json, string? CaPath, KeyFileOptions KeyFile);
