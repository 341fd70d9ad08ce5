using Ledger.Contracts.Consensus;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>
/// Changes to the validator roster (PROTOCOL.md, "Validator sets"). A change applied in block H is in force from
/// H + 2: the header of H + 1, signed by the old set, is the first to name the new one. Guard rails, each with its
/// code: at least <see cref="MembersMin"/> members (or as many as the set before had, if fewer); no block's changes
/// together move a third of the power or more; at most <see cref="RosterMax"/> positions ever.
/// </summary>
public static class ValidatorChanges
{
    public const int MembersMin = 4;

    /// <summary>Positions are never reused, so this bounds the validators a chain ever has (and every per-validator array).</summary>
    public const int RosterMax = 64;

    public static bool IsValidatorChange(MembershipChange change) => change.ChangeCase is
        MembershipChange.ChangeOneofCase.AddValidator or MembershipChange.ChangeOneofCase.RemoveValidator
        or MembershipChange.ChangeOneofCase.SetValidatorPower or MembershipChange.ChangeOneofCase.RotateValidatorKey;

    /// <summary>Whether the change can apply in block <paramref name="height"/>: null, or the refusal.</summary>
    public static Refusal? Check(LedgerState state, MembershipChange change, ulong height) => Next(state, change, height).Refusal;

    public static void Apply(LedgerState state, MembershipChange change, ulong height)
    {
        var (roster, refusal) = Next(state, change, height);
        if (refusal is not null || roster is null)
        {
            throw new InvalidOperationException($"validator change {change.ChangeCase} was applied without being checked");
        }
        var schedule = state.ReadValidatorSchedule();
        var from = height + 2;
        var entry = new ValidatorSetAt { FromHeight = from };
        entry.Validators.AddRange(roster);
        if (schedule.Sets[^1].FromHeight == from)
        {
            // Another change of this block already scheduled the roster of H + 2: this one amends it.
            schedule.Sets[^1] = entry;
        }
        else
        {
            schedule.Sets.Add(entry);
        }
        state.Put(schedule);
    }

    /// <summary>The roster of H + 2 with this change made, checked against the guard rails.</summary>
    private static (IReadOnlyList<Validator>? Roster, Refusal? Refusal) Next(LedgerState state, MembershipChange change, ulong height)
    {
        var rosters = new ValidatorSets(state.Config.ChainId, state.ReadValidatorSchedule());
        var latest = rosters.Latest.Roster.Select(v => v.Clone()).ToList();
        var (roster, refusal) = change.ChangeCase switch
        {
            MembershipChange.ChangeOneofCase.AddValidator => Add(state, rosters, latest, change.AddValidator),
            MembershipChange.ChangeOneofCase.RemoveValidator => Remove(state, latest, change.RemoveValidator),
            MembershipChange.ChangeOneofCase.SetValidatorPower => SetPower(latest, change.SetValidatorPower),
            MembershipChange.ChangeOneofCase.RotateValidatorKey => Rotate(rosters, latest, change.RotateValidatorKey),
            _ => (null, Invalid($"{change.ChangeCase} is not a validator change")),
        };
        if (refusal is not null)
        {
            return (null, refusal);
        }
        return (roster, GuardRails(rosters.At(height + 1), roster!));
    }

    private static (List<Validator>?, Refusal?) Add(LedgerState state, ValidatorSets rosters, List<Validator> roster, Validator added)
    {
        var org = state.Organisation(added.OrganisationId);
        if (org is null)
        {
            return (null, Invalid($"add_validator.organisation_id '{added.OrganisationId}' names no organisation"));
        }
        if (org.Suspended || !org.Organisation.Roles.Contains(Role.Validator))
        {
            return (null, Invalid($"organisation '{added.OrganisationId}' must be active and hold the validator role to run a validator"));
        }
        var keyRefusal = CheckNewKey(rosters, added.Key, "add_validator.key");
        if (keyRefusal is not null)
        {
            return (null, keyRefusal);
        }
        if (added.Power <= 0)
        {
            return (null, Invalid($"add_validator.power must be positive, not {added.Power}"));
        }
        var index = roster.FindIndex(v => v.OrganisationId == added.OrganisationId);
        if (index >= 0 && roster[index].Power > 0)
        {
            return (null, Invalid($"organisation '{added.OrganisationId}' already runs validator {index}"));
        }
        var entry = new Validator { OrganisationId = added.OrganisationId, Key = added.Key, Power = added.Power };
        if (index >= 0)
        {
            // A removed validator coming back keeps its position, under a new key.
            roster[index] = entry;
        }
        else if (roster.Count >= RosterMax)
        {
            return (null, new Refusal(RuleCatalog.ValidatorRosterFull, $"the roster has its {RosterMax} positions, which are never reused; no validator can be added"));
        }
        else
        {
            roster.Add(entry);
        }
        return (roster, null);
    }

    private static (List<Validator>?, Refusal?) Remove(LedgerState state, List<Validator> roster, RemoveValidator removed)
    {
        var index = Member(roster, removed.OrganisationId);
        if (index < 0)
        {
            return (null, Invalid($"remove_validator.organisation_id '{removed.OrganisationId}' runs no validator"));
        }
        foreach (var key in removed.EvidenceKeys)
        {
            var prefix = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{StateKeys.EvidencePrefix}{index}/");
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || state.Evidence(key) is not { } record || record.Validator != removed.OrganisationId)
            {
                return (null, Invalid($"remove_validator.evidence_keys '{key}' names no committed evidence against validator {index} ('{removed.OrganisationId}')"));
            }
        }
        roster[index].Power = 0;
        return (roster, null);
    }

    private static (List<Validator>?, Refusal?) SetPower(List<Validator> roster, ValidatorPower change)
    {
        var index = Member(roster, change.OrganisationId);
        if (index < 0)
        {
            return (null, Invalid($"set_validator_power.organisation_id '{change.OrganisationId}' runs no validator"));
        }
        if (change.Power <= 0 || change.Power == roster[index].Power)
        {
            return (null, Invalid($"set_validator_power.power must be positive and differ from the current {roster[index].Power}; to remove a validator use remove_validator"));
        }
        roster[index].Power = change.Power;
        return (roster, null);
    }

    private static (List<Validator>?, Refusal?) Rotate(ValidatorSets rosters, List<Validator> roster, RotateKey rotation)
    {
        var index = Member(roster, rotation.OrganisationId);
        if (index < 0)
        {
            return (null, Invalid($"rotate_validator_key.organisation_id '{rotation.OrganisationId}' runs no validator"));
        }
        if (rotation.OldKey is null || rotation.OldKey.Suite != roster[index].Key.Suite || rotation.OldKey.Key != roster[index].Key.Key)
        {
            return (null, Invalid($"rotate_validator_key.old_key is not the consensus key of validator {index} ('{rotation.OrganisationId}')"));
        }
        var keyRefusal = CheckNewKey(rosters, rotation.NewKey, "rotate_validator_key.new_key");
        if (keyRefusal is not null)
        {
            return (null, keyRefusal);
        }
        roster[index].Key = rotation.NewKey;
        return (roster, null);
    }

    private static Refusal? CheckNewKey(ValidatorSets rosters, PublicKey? key, string field)
    {
        if (key is null || key.Suite == KeySuite.Unspecified || key.Key.IsEmpty)
        {
            return Invalid($"{field} needs a suite and its public key bytes");
        }
        // A key is never reused: a signature of a former validator's key must never count for another position.
        return rosters.Holding(key) is { } held
            ? Invalid($"{field} is (or was) the consensus key of validator {held.Index} ('{held.Roster.OrganisationOf(held.Index)}'); a key is never reused")
            : null;
    }

    private static Refusal? GuardRails(HeightValidators before, IReadOnlyList<Validator> after)
    {
        var members = after.Count(v => v.Power > 0);
        var minimum = Math.Min(MembersMin, before.Set.Members.Count);
        if (members < minimum)
        {
            return new Refusal(RuleCatalog.ValidatorSetTooSmall, $"the change would leave {members} validators; the set keeps at least {minimum}");
        }
        long total = 0;
        foreach (var validator in after)
        {
            if (validator.Power > ConsensusValidatorSet.TotalPowerMax - total)
            {
                return Invalid($"the change would bring the total power over {ConsensusValidatorSet.TotalPowerMax}");
            }
            total += validator.Power;
        }
        // Power that signs on both sides of the switch, under the same key.
        long retained = 0;
        for (var i = 0; i < before.Roster.Count; i++)
        {
            var old = before.Roster[i];
            if (after[i].Key.Suite == old.Key.Suite && after[i].Key.Key == old.Key.Key)
            {
                retained += Math.Min(old.Power, after[i].Power);
            }
        }
        if (retained * 3 <= before.Set.TotalPower * 2 || retained * 3 <= total * 2)
        {
            return new Refusal(RuleCatalog.ValidatorChangeTooLarge,
                $"the block's validator changes would keep only {retained} of {before.Set.TotalPower} power (new total {total}); each block may move less than a third of it: split the change over blocks");
        }
        return null;
    }

    private static int Member(List<Validator> roster, string organisationId) =>
        roster.FindIndex(v => v.OrganisationId == organisationId && v.Power > 0);

    private static Refusal Invalid(string message) => new(RuleCatalog.MembershipChangeInvalid, message);
}
