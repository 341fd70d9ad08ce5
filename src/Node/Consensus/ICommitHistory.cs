using Ledger.Wire;

namespace Ledger.Node.Consensus;

/// <summary>The host's durable record of decided heights, read to help a lagging peer decide.</summary>
public interface ICommitHistory
{
    CommitCertificate? FindCertificate(ulong height);
}
