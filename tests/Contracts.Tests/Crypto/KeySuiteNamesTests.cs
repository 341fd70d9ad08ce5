using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

public sealed class KeySuiteNamesTests
{
    [Theory]
    [InlineData("ed25519", KeySuite.Ed25519)]
    [InlineData("p256", KeySuite.EcdsaP256)]
    [InlineData("secp256k1", KeySuite.EcdsaSecp256K1)]
    [InlineData("sm2", KeySuite.Sm2Sm3)]
    [InlineData("gost2012", KeySuite.Gost2012256)]
    public void Each_name_parses_to_its_suite_and_formats_back(string name, KeySuite suite)
    {
        KeySuiteNames.Parse(name).Should().Be(suite);
        KeySuiteNames.Format(suite).Should().Be(name);
    }

    [Fact]
    public void Names_are_read_case_insensitively()
    {
        KeySuiteNames.Parse("Ed25519").Should().Be(KeySuite.Ed25519);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_name_gives_an_error_listing_the_allowed_names(string? name)
    {
        KeySuiteNames.TryParse(name, out _, out var error).Should().BeFalse();

        error.Should().Contain("ed25519, p256, secp256k1, sm2, gost2012");
    }

    [Fact]
    public void Unspecified_has_no_name()
    {
        var format = () => KeySuiteNames.Format(KeySuite.Unspecified);

        format.Should().Throw<ArgumentException>();
    }
}
