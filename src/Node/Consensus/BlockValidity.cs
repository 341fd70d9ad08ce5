namespace Ledger.Node.Consensus;

/// <summary>The host's answer to valid(v) (CONSENSUS-NOTES rule 9). Unknown: the host does not hold the block yet.</summary>
public enum BlockValidity
{
    Unknown = 0,
    Valid = 1,
    Invalid = 2,
}
