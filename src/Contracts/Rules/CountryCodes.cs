namespace Ledger.Contracts.Rules;

/// <summary>ISO 3166-1 alpha-2 country codes, by shape: two upper-case ASCII letters.</summary>
public static class CountryCodes
{
    public static bool IsValid(string code) => code.Length == 2 && code.All(char.IsAsciiLetterUpper);
}
