using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

public sealed class PublicKeyTextTests
{
    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_public_key_formats_and_parses_back(KeySuite suite)
    {
        var key = SignatureSuites.Generate(suite).Public;

        var text = PublicKeyText.Format(key);

        text.Should().StartWith(KeySuiteNames.Format(suite) + ":").And.Be(text.ToLowerInvariant());
        PublicKeyText.Parse(text).Should().Be(key);
        PublicKeyText.Parse(text.ToUpperInvariant().Replace(KeySuiteNames.Format(suite).ToUpperInvariant(), KeySuiteNames.Format(suite)))
            .Should().Be(key);
    }

    [Fact]
    public void The_RFC_8032_key_formats_as_expected()
    {
        var key = SignatureSuites.For(KeySuite.Ed25519)
            .FromPrivateKey(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")).Public;

        PublicKeyText.Format(key).Should().Be("ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    }

    [Theory]
    [InlineData(null, "not of the form")]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "not of the form")]
    [InlineData("rsa:00", "allowed: ed25519, p256")]
    [InlineData("ed25519:xyz", "not hex")]
    [InlineData("ed25519:d75a98", "not a valid ed25519 key (32 bytes expected, 3 given")]
    [InlineData("p256:0400", "not a valid p256 key")]
    public void Malformed_text_gives_an_error_saying_why(string? text, string reason)
    {
        PublicKeyText.TryParse(text, out var key, out var error).Should().BeFalse();

        key.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void A_point_off_the_curve_is_refused()
    {
        var key = SignatureSuites.Generate(KeySuite.Sm2Sm3).Public.Key.ToByteArray();
        key[^1] ^= 0x01;

        var parse = () => PublicKeyText.Parse("sm2:" + Convert.ToHexString(key));

        parse.Should().Throw<FormatException>().WithMessage("*not a valid sm2 key*");
    }
}
