using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>Theory data shared by the suite tests: every suite a node must verify.</summary>
internal static class Suites
{
    public static IReadOnlyList<KeySuite> Every { get; } =
        [KeySuite.Ed25519, KeySuite.EcdsaP256, KeySuite.EcdsaSecp256K1, KeySuite.Sm2Sm3, KeySuite.Gost2012256];

    public static TheoryData<KeySuite> All => new(Every);

    public static TheoryData<KeySuite> Deterministic => new() { KeySuite.Ed25519, KeySuite.EcdsaSecp256K1 };

    public static TheoryData<KeySuite> Randomised => new() { KeySuite.EcdsaP256, KeySuite.Sm2Sm3, KeySuite.Gost2012256 };
}
