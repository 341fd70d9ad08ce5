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

    /// <summary>A validator's power raised in the roster change the proof carries, so the roster is not the one its header names.</summary>
    ChangedRoster,

    /// <summary>The roster change the proof carries left out, so the answer's header names a roster the page never learnt.</summary>
    DroppedRoster,

    /// <summary>
    /// Each certificate's first answer served again for every later request of it: genuine, certified, and old (a node
    /// withholding a revocation, say).
    /// </summary>
    StaleAnswer,
}
