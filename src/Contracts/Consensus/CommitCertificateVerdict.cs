namespace Ledger.Contracts.Consensus;

/// <summary>Why a commit certificate was accepted or refused.</summary>
public enum CommitCertificateVerdict
{
    Valid = 0,
    /// <summary>Missing, a block hash that is not 32 bytes (or is the nil hash), or a round beyond int32.</summary>
    Malformed = 1,
    /// <summary>Signatures not sorted by validator index, or an index twice.</summary>
    NotSortedOrDuplicate = 2,
    UnknownValidator = 3,
    BadSignature = 4,
    /// <summary>The signers hold two thirds of the power or less.</summary>
    InsufficientPower = 5,
}
