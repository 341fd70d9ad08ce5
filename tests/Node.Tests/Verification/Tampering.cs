namespace Ledger.Node.Tests.Verification;

/// <summary>How the proxy lies about a certificate's answer.</summary>
public enum Tampering
{
    /// <summary>A revoked certificate's status record rewritten to "issued", and the answer's fields to match.</summary>
    ChangedRecord,

    /// <summary>One validator's signature in the commit certificate altered by one bit.</summary>
    ForgedSignature,

    /// <summary>The header's state root replaced, so the proven records would follow another state.</summary>
    ChangedHeader,

    /// <summary>
    /// Each certificate's first answer served again for every later request of it: genuine, certified, and old (a node
    /// withholding a revocation, say).
    /// </summary>
    StaleAnswer,
}
