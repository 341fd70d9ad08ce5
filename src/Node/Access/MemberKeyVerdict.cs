using Ledger.Wire;

namespace Ledger.Node.Access;

/// <summary>Whether a key may read as a member: an active key of an organisation that is a member and not suspended.</summary>
public static class MemberKeyVerdict
{
    /// <summary>Null when it may; else the refusal naming why not.</summary>
    /// <param name="record">The organisation's committed record, or null when there is none.</param>
    public static AccessRefusal? Of(string organisation, OrganisationRecord? record, PublicKey key, string keyText)
    {
        if (record is null)
        {
            return new AccessRefusal(AccessCodes.MemberKeyUnknown, $"'{organisation}' is no member organisation of this network");
        }
        var held = record.Keys.FirstOrDefault(k => k.Key.Suite == key.Suite && k.Key.Key == key.Key);
        if (held is null)
        {
            return new AccessRefusal(AccessCodes.MemberKeyUnknown, $"{keyText} is not a key of organisation '{organisation}'");
        }
        // Revocations enter the state only with the block that makes them, at its time: a recorded one is in force.
        if (held.RevokedAtMs != 0)
        {
            return new AccessRefusal(AccessCodes.MemberKeyRevoked, $"{keyText} of '{organisation}' was revoked at {held.RevokedAtMs} (Unix ms)");
        }
        return record.Suspended
            ? new AccessRefusal(AccessCodes.MemberSuspended, $"organisation '{organisation}' is suspended and may not read commercial content")
            : null;
    }
}
