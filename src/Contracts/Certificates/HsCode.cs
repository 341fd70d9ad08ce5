namespace Ledger.Contracts.Certificates;

/// <summary>Harmonized System codes: 6 to 10 ASCII digits (the 6-digit HS plus national subdivisions).</summary>
public static class HsCode
{
    public static bool IsValid(string code) => code.Length is >= 6 and <= 10 && code.All(char.IsAsciiDigit);
}
