namespace Ledger.Contracts.Membership;

/// <summary>A proposal's id is the hex of its transaction id: 64 lower-case hex characters.</summary>
public static class ProposalIds
{
    public const int Chars = 64;

    public static bool IsValid(string id) => id.Length == Chars && id.All(char.IsAsciiHexDigitLower);
}
