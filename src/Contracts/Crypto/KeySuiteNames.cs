using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// The names of the key suites on the command line, in key files and in genesis documents:
/// "ed25519", "p256", "secp256k1", "sm2", "gost2012".
/// </summary>
public static class KeySuiteNames
{
    public const string Ed25519 = "ed25519";
    public const string P256 = "p256";
    public const string Secp256k1 = "secp256k1";
    public const string Sm2 = "sm2";
    public const string Gost2012 = "gost2012";

    /// <summary>Every name, in the order of the KeySuite values.</summary>
    public static ImmutableArray<string> All { get; } = [Ed25519, P256, Secp256k1, Sm2, Gost2012];

    /// <summary>The name of a suite.</summary>
    /// <exception cref="ArgumentException">UNSPECIFIED or unknown.</exception>
    public static string Format(KeySuite suite) => suite switch
    {
        KeySuite.Ed25519 => Ed25519,
        KeySuite.EcdsaP256 => P256,
        KeySuite.EcdsaSecp256K1 => Secp256k1,
        KeySuite.Sm2Sm3 => Sm2,
        KeySuite.Gost2012256 => Gost2012,
        _ => throw new ArgumentException($"key suite {suite} has no name", nameof(suite)),
    };

    /// <summary>The suite of a name (case-insensitive), or an error sentence that lists the allowed names.</summary>
    public static bool TryParse(string? name, out KeySuite suite, [NotNullWhen(false)] out string? error)
    {
        suite = name?.ToLowerInvariant() switch
        {
            Ed25519 => KeySuite.Ed25519,
            P256 => KeySuite.EcdsaP256,
            Secp256k1 => KeySuite.EcdsaSecp256K1,
            Sm2 => KeySuite.Sm2Sm3,
            Gost2012 => KeySuite.Gost2012256,
            _ => KeySuite.Unspecified,
        };
        error = suite == KeySuite.Unspecified
            ? $"unknown key suite '{name}'; allowed: {string.Join(", ", All)}"
            : null;
        return error is null;
    }

    /// <exception cref="FormatException">The name is not one of <see cref="All"/>; the message lists them.</exception>
    public static KeySuite Parse(string name) =>
        TryParse(name, out var suite, out var error) ? suite : throw new FormatException(error);
}
