using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// A public key as text, "&lt;suite name&gt;:&lt;lower-case hex of the key bytes&gt;", e.g. "ed25519:d75a98…",
/// as written in genesis documents and on the command line.
/// </summary>
public static class PublicKeyText
{
    public const char Separator = ':';

    /// <exception cref="ArgumentException">The key's suite is UNSPECIFIED or unknown.</exception>
    public static string Format(PublicKey key) =>
        $"{KeySuiteNames.Format(key.Suite)}{Separator}{Convert.ToHexStringLower(key.Key.Span)}";

    /// <summary>
    /// Parses and validates the key: a known suite name, hex (either case) and a well-formed key of that
    /// suite, so that a typo in a genesis document is caught when it is read, not when a signature fails.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var separatorAt = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (text is null || separatorAt < 0)
        {
            error = $"public key '{text}' is not of the form <suite>:<hex>";
            return false;
        }
        if (!KeySuiteNames.TryParse(text[..separatorAt], out var suite, out error))
        {
            error = $"public key '{text}': {error}";
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(text[(separatorAt + 1)..]);
        }
        catch (FormatException)
        {
            error = $"public key '{text}': the part after '{Separator}' is not hex";
            return false;
        }
        var signatureSuite = SignatureSuites.For(suite);
        if (!signatureSuite.IsValidPublicKey(bytes))
        {
            error = $"public key '{text}' is not a valid {KeySuiteNames.Format(suite)} key " +
                $"({signatureSuite.PublicKeyLength} bytes expected, {bytes.Length} given, or not on the curve)";
            return false;
        }
        key = new PublicKey { Suite = suite, Key = ByteString.CopyFrom(bytes) };
        error = null;
        return true;
    }

    /// <exception cref="FormatException">The text is not a valid public key; the message says why.</exception>
    public static PublicKey Parse(string text) =>
        TryParse(text, out var key, out var error) ? key : throw new FormatException(error);
}
