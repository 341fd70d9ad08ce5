using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>The Ed25519 suite keeps decoded public keys: answers must not depend on what it has seen before.</summary>
public sealed class Ed25519KeyCacheTests
{
    private static readonly byte[] Message = "ledger.v1/tx\0cache-chain\0a body"u8.ToArray();

    [Fact]
    public void A_signature_stays_bound_to_its_key_when_both_keys_are_already_decoded()
    {
        var suite = SignatureSuites.For(KeySuite.Ed25519);
        var alice = suite.Generate();
        var bob = suite.Generate();
        var byAlice = suite.Sign(alice.Private, Message);
        var byBob = suite.Sign(bob.Private, Message);
        suite.Verify(alice.Public.Key.Span, Message, byAlice).Should().BeTrue();
        suite.Verify(bob.Public.Key.Span, Message, byBob).Should().BeTrue();

        suite.Verify(alice.Public.Key.Span, Message, byBob).Should().BeFalse();
        suite.Verify(bob.Public.Key.Span, Message, byAlice).Should().BeFalse();
        suite.Verify(alice.Public.Key.Span, Message, byAlice).Should().BeTrue();
    }

    [Fact]
    public void Keys_beyond_the_cache_bound_still_verify_and_an_early_key_is_decoded_again()
    {
        var suite = SignatureSuites.For(KeySuite.Ed25519);
        var first = suite.Generate();
        var firstSignature = suite.Sign(first.Private, Message);
        suite.Verify(first.Public.Key.Span, Message, firstSignature).Should().BeTrue();
        var lastSignature = Array.Empty<byte>();
        KeyPair last = first;
        for (var i = 0; i <= Ed25519Suite.DecodedKeysMax; i++)
        {
            last = suite.Generate();
            lastSignature = suite.Sign(last.Private, Message);
            suite.Verify(last.Public.Key.Span, Message, lastSignature).Should().BeTrue();
        }

        suite.Verify(first.Public.Key.Span, Message, firstSignature).Should().BeTrue();
        suite.Verify(first.Public.Key.Span, Message, lastSignature).Should().BeFalse();
    }

    [Fact]
    public void A_key_that_is_not_a_curve_point_is_refused_every_time()
    {
        var suite = SignatureSuites.For(KeySuite.Ed25519);
        var pair = suite.Generate();
        var signature = suite.Sign(pair.Private, Message);
        // y = 2 is not the y-coordinate of any point on edwards25519.
        var notAPoint = new byte[32];
        notAPoint[0] = 2;

        suite.IsValidPublicKey(notAPoint).Should().BeFalse();
        suite.Verify(notAPoint, Message, signature).Should().BeFalse();
        suite.Verify(notAPoint, Message, signature).Should().BeFalse();
    }
}
