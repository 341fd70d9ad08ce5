using Ledger.Contracts.Routes;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>
/// Registry changes by governance: add a checkpoint, close one, set the checkpoints a customs post is registered for.
/// The registry is <c>NetworkConfig.checkpoints</c> (key "config"); a change writes the whole configuration back.
/// </summary>
public static class RegistryChanges
{
    public static Refusal? CheckAddCheckpoint(LedgerState state, CheckpointInfo checkpoint)
    {
        if (checkpoint.Code.Length == 0 || checkpoint.Name.Length == 0)
        {
            return Invalid("add_checkpoint needs a code and a name");
        }
        if (!CountryCodes.IsValid(checkpoint.Country))
        {
            return Invalid($"add_checkpoint '{checkpoint.Code}': country '{checkpoint.Country}' is not an ISO 3166-1 alpha-2 code");
        }
        // The same rules as the genesis's registry (GenesisState): the route rules rely on them.
        if (checkpoint.GaugeMm is not (0 or 1435 or 1520))
        {
            return Invalid($"add_checkpoint '{checkpoint.Code}': gauge_mm {checkpoint.GaugeMm} must be 1435, 1520 or 0 (no track)");
        }
        if (checkpoint.Kind == CheckpointKind.Unspecified || !Enum.IsDefined(checkpoint.Kind))
        {
            return Invalid($"add_checkpoint '{checkpoint.Code}' needs a kind (rail-border, road-border, port or inland-terminal)");
        }
        if (checkpoint.ClosedAtMs != 0)
        {
            return Invalid($"add_checkpoint '{checkpoint.Code}': closed_at_ms is set by close_checkpoint, not by the proposal");
        }
        return Checkpoints.Find(state.Config, checkpoint.Code) is null
            ? null
            : Invalid($"add_checkpoint: checkpoint '{checkpoint.Code}' is in the registry already; a code is never reused");
    }

    public static Refusal? CheckClose(LedgerState state, string code)
    {
        var checkpoint = Checkpoints.Find(state.Config, code);
        if (checkpoint is null)
        {
            return Invalid($"close_checkpoint: checkpoint '{code}' is not in the registry ({RuleCatalog.CheckpointUnknown})");
        }
        return checkpoint.ClosedAtMs == 0 ? null : Invalid($"close_checkpoint: checkpoint '{code}' was closed at {checkpoint.ClosedAtMs} (Unix ms) already");
    }

    public static Refusal? CheckRegisterPost(LedgerState state, PostRegistration registration)
    {
        var org = state.Organisation(registration.OrganisationId);
        if (org is null)
        {
            return Invalid($"register_post: organisation '{registration.OrganisationId}' does not exist");
        }
        if (!org.Organisation.Roles.Contains(Role.CustomsPost))
        {
            return Invalid($"register_post: organisation '{registration.OrganisationId}' is no customs post ({RuleCatalog.RoleNotAllowed})");
        }
        if (registration.Checkpoints.Distinct(StringComparer.Ordinal).Count() != registration.Checkpoints.Count)
        {
            return Invalid($"register_post: organisation '{registration.OrganisationId}' lists a checkpoint twice");
        }
        return UsableCheckpoints(state, registration.OrganisationId, registration.Checkpoints);
    }

    /// <summary>
    /// Refuses a checkpoint a post would be registered for that is unknown or closed: a post registered there could
    /// never record an event. Used for register_post and for add_organisation.
    /// </summary>
    public static Refusal? UsableCheckpoints(LedgerState state, string orgId, IEnumerable<string> codes)
    {
        foreach (var code in codes)
        {
            var checkpoint = Checkpoints.Find(state.Config, code);
            if (checkpoint is null)
            {
                return Invalid($"organisation '{orgId}' is registered for unknown checkpoint '{code}' ({RuleCatalog.CheckpointUnknown})");
            }
            if (checkpoint.ClosedAtMs != 0)
            {
                return Invalid($"organisation '{orgId}' is registered for checkpoint '{code}', closed at {checkpoint.ClosedAtMs} (Unix ms) ({RuleCatalog.CheckpointClosed})");
            }
        }
        return null;
    }

    public static void ApplyAddCheckpoint(LedgerState state, CheckpointInfo checkpoint)
    {
        var config = state.Config.Clone();
        config.Checkpoints.Add(checkpoint.Clone());
        state.Put(config);
    }

    public static void ApplyClose(LedgerState state, string code, long blockTimeMs)
    {
        var config = state.Config.Clone();
        Checkpoints.Find(config, code)!.ClosedAtMs = blockTimeMs;
        state.Put(config);
    }

    public static void ApplyRegisterPost(LedgerState state, PostRegistration registration)
    {
        var org = state.Organisation(registration.OrganisationId)
            ?? throw new InvalidOperationException($"organisation '{registration.OrganisationId}' vanished between check and apply");
        org.Organisation.Checkpoints.Clear();
        // Sorted, so that the same registration in any order gives the same record and state root.
        org.Organisation.Checkpoints.AddRange(registration.Checkpoints.Order(StringComparer.Ordinal));
        state.Put(org);
    }

    private static Refusal Invalid(string message) => new(RuleCatalog.MembershipChangeInvalid, message);
}
