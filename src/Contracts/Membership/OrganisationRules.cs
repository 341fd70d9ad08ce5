using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Membership;

/// <summary>What a well-formed organisation is, at genesis and when governance adds one.</summary>
public static class OrganisationRules
{
    public const int IdCharsMax = 64;

    public static Refusal? Check(Organisation org)
    {
        if (!IsValidId(org.Id))
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing,
                $"organisation id '{org.Id}' must be 1 to {IdCharsMax} lower-case letters, digits or '-'");
        }
        if (org.Name.Length == 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, $"organisation '{org.Id}' needs a name");
        }
        if (!CountryCodes.IsValid(org.Country))
        {
            return new Refusal(RuleCatalog.CountryMismatch, $"organisation '{org.Id}': country '{org.Country}' is not an ISO 3166-1 alpha-2 code");
        }
        if (org.Roles.Count == 0 || org.Roles.Contains(Role.Unspecified) || org.Roles.Distinct().Count() != org.Roles.Count)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, $"organisation '{org.Id}' needs one or more distinct roles");
        }
        if (org.Checkpoints.Count > 0 && !org.Roles.Contains(Role.CustomsPost))
        {
            return new Refusal(RuleCatalog.RoleNotAllowed, $"organisation '{org.Id}' lists checkpoints but is no customs post");
        }
        if (org.Keys.Count == 0 || org.Keys.Any(k => k.Suite == KeySuite.Unspecified || k.Key.IsEmpty))
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, $"organisation '{org.Id}' needs at least one key with a suite");
        }
        return null;
    }

    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= IdCharsMax && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
