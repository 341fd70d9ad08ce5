using Ledger.Contracts.Membership;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>The identity rules: the signer exists, holds the key at the block time, is not suspended, has the role.</summary>
public static class SignerCheck
{
    public static Refusal? Check(OrganisationRecord? signer, TxBody body, long blockTimeMs, IReadOnlyList<Role> requiredRoles)
    {
        if (signer is null)
        {
            return new Refusal(RuleCatalog.SignerUnknown, $"signer_org '{body.SignerOrg}' is no organisation of this network");
        }
        var key = signer.Keys.FirstOrDefault(k => k.Key.Suite == body.SignerKey?.Suite && k.Key.Key == body.SignerKey.Key);
        if (key is null)
        {
            return new Refusal(RuleCatalog.SignerUnknown, $"signer_key is not a key of organisation '{body.SignerOrg}'");
        }
        if (key.ValidFromMs > blockTimeMs || (key.RevokedAtMs != 0 && key.RevokedAtMs <= blockTimeMs))
        {
            return new Refusal(RuleCatalog.KeyNotValidAtTime,
                $"signer_key of '{body.SignerOrg}' is valid from {key.ValidFromMs}{(key.RevokedAtMs == 0 ? "" : $" until its revocation at {key.RevokedAtMs}")} (Unix ms), not at block time {blockTimeMs}");
        }
        if (signer.Suspended)
        {
            return new Refusal(RuleCatalog.OrganisationSuspended, $"organisation '{body.SignerOrg}' is suspended and may not sign transactions");
        }
        if (!requiredRoles.Any(signer.Organisation.Roles.Contains))
        {
            return new Refusal(RuleCatalog.RoleNotAllowed,
                $"{body.KindCase} needs the role {string.Join(" or ", requiredRoles.Select(RoleNames.Format))}; '{body.SignerOrg}' holds {string.Join(", ", signer.Organisation.Roles.Select(RoleNames.Format))}");
        }
        return null;
    }
}
