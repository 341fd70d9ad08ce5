using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>
/// "Here is how height h was decided": sent to a peer seen sending messages of a height already decided, so
/// that it can decide without waiting for precommits it lost. Carries no signature of its own: every
/// precommit in the certificate is checked.
/// </summary>
public sealed record CommitOffer(CommitCertificate Certificate)
    : ConsensusMessage(Certificate.Height, (int)Math.Min(Certificate.Round, int.MaxValue));
