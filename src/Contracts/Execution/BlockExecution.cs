using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>What executing a block produced: a receipt per transaction and the state changes, sorted by key.</summary>
public sealed record BlockExecution(IReadOnlyList<Receipt> Receipts, IReadOnlyList<KeyValuePair<string, byte[]?>> Changes);
