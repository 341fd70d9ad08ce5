using Ledger.Contracts.Crypto;

namespace Ledger.Node.Consensus;

/// <summary>A quorum reached for the first time; Value is set for PolkaValue and PrecommitValue only.</summary>
public sealed record ThresholdEvent(ThresholdKind Kind, int Round, Hash32? Value);
