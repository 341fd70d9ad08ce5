using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>A transaction whose envelope decoded, whose signature verified and whose stateless rules held.</summary>
public sealed record DecodedTransaction(Hash32 Id, TxBody Body, TxEnvelope Envelope);
