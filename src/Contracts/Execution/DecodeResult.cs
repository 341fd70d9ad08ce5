using Ledger.Contracts.Rules;

namespace Ledger.Contracts.Execution;

/// <summary>Either a decoded transaction or the stateless rule it broke.</summary>
public sealed record DecodeResult(DecodedTransaction? Transaction, Refusal? Refusal);
