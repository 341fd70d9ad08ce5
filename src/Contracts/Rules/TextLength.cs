namespace Ledger.Contracts.Rules;

/// <summary>
/// How the protocol counts the characters of a string: Unicode scalar values, so that a limit means the same in
/// every language whatever its strings are made of (docs/PROTOCOL.md, "Limits"). A .NET string counts UTF-16
/// units, two for a character outside the Basic Multilingual Plane.
/// </summary>
public static class TextLength
{
    /// <summary>
    /// The number of Unicode scalar values. Strings here come from valid UTF-8 (the protobuf parser and the JSON
    /// reader refuse anything else), so every surrogate is half of a pair and a pair is one character.
    /// </summary>
    public static int Characters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }
        return count;
    }
}
