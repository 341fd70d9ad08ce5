using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// The signature suites by <see cref="KeySuite"/>. Every suite is an immutable singleton, so all of this is
/// safe to call from many threads at once.
/// </summary>
public static class SignatureSuites
{
    /// <summary>
    /// The longest signature of any suite. Consensus refuses longer ones before verifying, so that what a peer
    /// signs has a size known in advance (the write-ahead record keeps peers' prevotes).
    /// </summary>
    public static int SignatureBytesMax { get; } =
        Enum.GetValues<KeySuite>().Select(TryFor).OfType<ISignatureSuite>().Max(s => s.SignatureLength);

    /// <summary>The suite of a key suite.</summary>
    /// <exception cref="ArgumentException">UNSPECIFIED or a value this build does not know.</exception>
    public static ISignatureSuite For(KeySuite suite) =>
        TryFor(suite) ?? throw new ArgumentException($"no signature suite for key suite {suite}", nameof(suite));

    /// <summary>True only if the signature by this key over the message is valid; false for unknown suites.</summary>
    public static bool Verify(PublicKey? key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (key is null)
        {
            return false;
        }
        var suite = TryFor(key.Suite);
        return suite is not null && suite.Verify(key.Key.Span, message, signature);
    }

    public static KeyPair Generate(KeySuite suite) => For(suite).Generate();

    public static byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message) => For(key.Suite).Sign(key, message);

    internal static ISignatureSuite? TryFor(KeySuite suite) => suite switch
    {
        KeySuite.Ed25519 => Ed25519Suite.Instance,
        KeySuite.EcdsaP256 => EcdsaP256Suite.Instance,
        KeySuite.EcdsaSecp256K1 => Secp256k1Suite.Instance,
        KeySuite.Sm2Sm3 => Sm2Suite.Instance,
        KeySuite.Gost2012256 => Gost2012Suite.Instance,
        _ => null,
    };

    // A key of one suite given to another suite is a caller's bug: it would sign garbage or nothing.
    internal static void RequireSuite(PrivateKey key, KeySuite expected)
    {
        if (key.Suite != expected)
        {
            throw new ArgumentException($"a {key.Suite} private key cannot sign with suite {expected}", nameof(key));
        }
    }
}
