using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// What executing a block produced: a receipt per transaction, the state changes (sorted by key), and the
/// receipts of the changes it made by rule with no transaction (verification deadlines), in the order applied.
/// </summary>
public sealed record BlockExecution(IReadOnlyList<Receipt> Receipts, IReadOnlyList<KeyValuePair<string, byte[]?>> Changes, IReadOnlyList<Receipt> Automatic);
