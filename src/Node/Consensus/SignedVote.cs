using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>A prevote or precommit signed by one validator. A null value is a vote for nil.</summary>
public sealed record SignedVote(VoteType Type, ulong Height, int Round, Hash32? Value, int ValidatorIndex, byte[] Signature)
    : ConsensusMessage(Height, Round);
