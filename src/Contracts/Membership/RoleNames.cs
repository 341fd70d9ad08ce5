using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>The names roles have in documents and messages: "chamber", "customs", "customs-post", "auditor", "validator".</summary>
public static class RoleNames
{
    private static readonly (Role Role, string Name)[] Names =
    [
        (Role.Chamber, "chamber"), (Role.Customs, "customs"), (Role.CustomsPost, "customs-post"),
        (Role.Auditor, "auditor"), (Role.Validator, "validator"),
    ];

    public static string Format(Role role) => Names.FirstOrDefault(n => n.Role == role).Name ?? role.ToString();

    public static bool TryParse(string name, out Role role)
    {
        foreach (var (r, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                role = r;
                return true;
            }
        }
        role = Role.Unspecified;
        return false;
    }

    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();
}
