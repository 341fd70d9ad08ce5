namespace Ledger.Node.Hosting;

/// <summary>One setting given outside the config file: its key (`Mempool:TransactionsMax`), value, and where it came from, for error messages.</summary>
public sealed record ConfigOverride(string Key, string Value, string Source);
