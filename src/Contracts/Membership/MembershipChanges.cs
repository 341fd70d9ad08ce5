using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>What each membership change requires of the state, and what it does to it.</summary>
public static class MembershipChanges
{
    /// <summary>Whether the change can apply in block <paramref name="height"/>: null, or the refusal.</summary>
    public static Refusal? Check(LedgerState state, MembershipChange change, ulong height) => change.ChangeCase switch
    {
        MembershipChange.ChangeOneofCase.AddOrganisation => CheckAdd(state, change.AddOrganisation),
        MembershipChange.ChangeOneofCase.AddKey => CheckKey(state, change.AddKey.OrganisationId, change.AddKey.Key, mustHold: false),
        MembershipChange.ChangeOneofCase.RevokeKey => CheckKey(state, change.RevokeKey.OrganisationId, change.RevokeKey.Key, mustHold: true),
        MembershipChange.ChangeOneofCase.RotateKey =>
            CheckKey(state, change.RotateKey.OrganisationId, change.RotateKey.OldKey, mustHold: true)
            ?? CheckKey(state, change.RotateKey.OrganisationId, change.RotateKey.NewKey, mustHold: false),
        MembershipChange.ChangeOneofCase.SuspendOrganisation => CheckSuspension(state, change.SuspendOrganisation, suspend: true),
        MembershipChange.ChangeOneofCase.ReinstateOrganisation => CheckSuspension(state, change.ReinstateOrganisation, suspend: false),
        MembershipChange.ChangeOneofCase.AddCheckpoint => RegistryChanges.CheckAddCheckpoint(state, change.AddCheckpoint),
        MembershipChange.ChangeOneofCase.CloseCheckpoint => RegistryChanges.CheckClose(state, change.CloseCheckpoint),
        MembershipChange.ChangeOneofCase.RegisterPost => RegistryChanges.CheckRegisterPost(state, change.RegisterPost),
        _ when ValidatorChanges.IsValidatorChange(change) => ValidatorChanges.Check(state, change, height),
        _ => Invalid("the membership change names no kind this ledger knows"),
    };

    public static void Apply(LedgerState state, MembershipChange change, ulong height, long blockTimeMs)
    {
        if (ValidatorChanges.IsValidatorChange(change))
        {
            ValidatorChanges.Apply(state, change, height);
            return;
        }
        switch (change.ChangeCase)
        {
            case MembershipChange.ChangeOneofCase.AddOrganisation:
                var record = new OrganisationRecord { Organisation = change.AddOrganisation };
                record.Keys.AddRange(change.AddOrganisation.Keys.Select(k => new KeyRecord { Key = k, ValidFromMs = blockTimeMs }));
                state.Add(record);
                break;
            case MembershipChange.ChangeOneofCase.AddKey:
                Update(state, change.AddKey.OrganisationId, org => org.Keys.Add(new KeyRecord { Key = change.AddKey.Key, ValidFromMs = blockTimeMs }));
                break;
            case MembershipChange.ChangeOneofCase.RevokeKey:
                Update(state, change.RevokeKey.OrganisationId, org => Active(org, change.RevokeKey.Key)!.RevokedAtMs = blockTimeMs);
                break;
            case MembershipChange.ChangeOneofCase.RotateKey:
                Update(state, change.RotateKey.OrganisationId, org =>
                {
                    Active(org, change.RotateKey.OldKey)!.RevokedAtMs = blockTimeMs;
                    org.Keys.Add(new KeyRecord { Key = change.RotateKey.NewKey, ValidFromMs = blockTimeMs });
                });
                break;
            case MembershipChange.ChangeOneofCase.SuspendOrganisation:
                Update(state, change.SuspendOrganisation, org => org.Suspended = true);
                break;
            case MembershipChange.ChangeOneofCase.ReinstateOrganisation:
                Update(state, change.ReinstateOrganisation, org => org.Suspended = false);
                break;
            case MembershipChange.ChangeOneofCase.AddCheckpoint:
                RegistryChanges.ApplyAddCheckpoint(state, change.AddCheckpoint);
                break;
            case MembershipChange.ChangeOneofCase.CloseCheckpoint:
                RegistryChanges.ApplyClose(state, change.CloseCheckpoint, blockTimeMs);
                break;
            case MembershipChange.ChangeOneofCase.RegisterPost:
                RegistryChanges.ApplyRegisterPost(state, change.RegisterPost);
                break;
            default:
                throw new InvalidOperationException($"membership change {change.ChangeCase} was applied without being checked");
        }
    }

    private static Refusal? CheckAdd(LedgerState state, Organisation org)
    {
        var refusal = OrganisationRules.Check(org);
        if (refusal is not null)
        {
            return Invalid(refusal);
        }
        // The genesis holds organisations to the same rule: a post registered for no real (or a closed) checkpoint could never record.
        if (RegistryChanges.UsableCheckpoints(state, org.Id, org.Checkpoints) is { } unusable)
        {
            return unusable;
        }
        return state.Organisation(org.Id) is null ? null : Invalid($"organisation '{org.Id}' exists already");
    }

    private static Refusal? CheckKey(LedgerState state, string orgId, PublicKey? key, bool mustHold)
    {
        var org = state.Organisation(orgId);
        if (org is null)
        {
            return Invalid($"organisation '{orgId}' does not exist");
        }
        if (key is null || key.Suite == KeySuite.Unspecified || key.Key.IsEmpty)
        {
            return Invalid("a key needs a suite and its public key bytes");
        }
        var held = Active(org, key) is not null;
        if (mustHold && !held)
        {
            return Invalid($"organisation '{orgId}' holds no such active key");
        }
        if (!mustHold && org.Keys.Any(k => Same(k.Key, key)))
        {
            return Invalid($"organisation '{orgId}' already has (or had) this key; a key is never reused");
        }
        return null;
    }

    private static Refusal? CheckSuspension(LedgerState state, string orgId, bool suspend)
    {
        var org = state.Organisation(orgId);
        if (org is null)
        {
            return Invalid($"organisation '{orgId}' does not exist");
        }
        return org.Suspended == suspend ? Invalid($"organisation '{orgId}' is {(suspend ? "already" : "not")} suspended") : null;
    }

    private static KeyRecord? Active(OrganisationRecord org, PublicKey key) =>
        org.Keys.FirstOrDefault(k => k.RevokedAtMs == 0 && Same(k.Key, key));

    private static bool Same(PublicKey a, PublicKey b) => a.Suite == b.Suite && a.Key == b.Key;

    private static void Update(LedgerState state, string orgId, Action<OrganisationRecord> change)
    {
        var org = state.Organisation(orgId) ?? throw new InvalidOperationException($"organisation '{orgId}' vanished between check and apply");
        change(org);
        state.Put(org);
    }

    private static Refusal Invalid(string message) => new(RuleCatalog.MembershipChangeInvalid, message);

    private static Refusal Invalid(Refusal inner) => new(RuleCatalog.MembershipChangeInvalid, $"{inner.Message} ({inner.Code})");
}
