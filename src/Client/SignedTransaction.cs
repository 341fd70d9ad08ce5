using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// A signed transaction and its id. Keep the envelope to retry later (offline posts): resubmitting the same
/// envelope is the same transaction, committed at most once.
/// </summary>
public sealed record SignedTransaction(Hash32 Id, TxEnvelope Envelope);
