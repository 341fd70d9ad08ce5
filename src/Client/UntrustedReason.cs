namespace Ledger.Client;

/// <summary>Which check a node's answer failed (docs/CLIENT.md, "Verified reads").</summary>
public enum UntrustedReason
{
    /// <summary>A proof was required and the answer carried none, or no header or certificate.</summary>
    ProofMissing = 1,
    /// <summary>The header is for another network.</summary>
    WrongChain = 2,
    /// <summary>The commit certificate does not verify against the trusted validators (see <see cref="UntrustedAnswerException.Detail"/>).</summary>
    CertificateInvalid = 3,
    /// <summary>The certificate is valid but for another block: its hash or height is not the header's.</summary>
    CertificateNotForHeader = 4,
    /// <summary>The header is older than one the client has already seen certified.</summary>
    StaleState = 5,
    /// <summary>An entry's proof does not verify against the header's state root.</summary>
    ProofInvalid = 6,
    /// <summary>The proof does not cover a key the answer depends on.</summary>
    EntryMissing = 7,
    /// <summary>A proven value is not a valid record of its kind.</summary>
    ValueMalformed = 8,
    /// <summary>The answer's fields differ from what the proven values say.</summary>
    AnswerContradictsProof = 9,
    /// <summary>A receipt or block that is not the one asked for.</summary>
    WrongObject = 10,
    /// <summary>A node refused a submission and no other node was there to confirm the refusal.</summary>
    RefusalUnconfirmed = 11,
    /// <summary>The header names a validator set the client has not learnt for its height (a change it has not followed, or a set never approved).</summary>
    ValidatorSetUnknown = 12,
}
