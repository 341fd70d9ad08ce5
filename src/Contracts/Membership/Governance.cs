using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>
/// Who governs the membership: the active organisations holding the chamber or customs role. A change
/// applies when more than two thirds of them approve.
/// </summary>
public static class Governance
{
    public static IReadOnlyList<Role> GoverningRoles { get; } = [Role.Chamber, Role.Customs];

    public static bool IsGoverning(OrganisationRecord org) =>
        !org.Suspended && org.Organisation.Roles.Any(GoverningRoles.Contains);

    /// <summary>The governing organisations' ids, sorted.</summary>
    public static IReadOnlyList<string> GoverningIds(LedgerState state) =>
        state.Organisations().Where(IsGoverning).Select(o => o.Organisation.Id).ToArray();

    /// <summary>Whether approvals (counted only from current governing organisations) exceed two thirds.</summary>
    public static bool Reached(IEnumerable<string> approvals, IReadOnlyList<string> governing)
    {
        var counted = approvals.Count(governing.Contains);
        return counted * 3 > governing.Count * 2;
    }
}
