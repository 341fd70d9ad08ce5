using Grpc.Core;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Node.Access;
using Ledger.Wire;

namespace Ledger.Node.Tests.Access;

public sealed class CallProofTests
{
    private static readonly KeyPair Key = SignatureSuites.Generate(KeySuite.Ed25519);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static Metadata Headers(TimeSpan skew) =>
        CallSigner.ForMember("c", "kz-customs", Key, new FixedClock(Now + skew)).Headers("/ledger.v1.Ledger/GetBlock", new GetBlockRequest { Height = 1 });

    [Fact]
    public void Headers_signed_within_five_minutes_either_way_are_read_back_as_signed()
    {
        foreach (var skew in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(-5) })
        {
            CallProof.TryRead(Headers(skew), Now, out var proof, out var refusal).Should().BeTrue(refusal?.ToString());
            proof!.Caller.Should().Be("kz-customs");
            proof.KeyText.Should().Be(PublicKeyText.Format(Key.Public));
            proof.TimeMs.Should().Be((Now + skew).ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public void Headers_signed_more_than_five_minutes_away_from_the_node_clock_are_unauthenticated()
    {
        foreach (var skew in new[] { TimeSpan.FromMinutes(5.01), TimeSpan.FromMinutes(-6) })
        {
            CallProof.TryRead(Headers(skew), Now, out _, out var refusal).Should().BeFalse();
            refusal!.Code.Should().Be(AccessCodes.IdentityTimeOutsideWindow);
            refusal.Status.Should().Be(StatusCode.Unauthenticated);
        }
    }

    [Fact]
    public void No_headers_is_permission_denied_and_names_every_header()
    {
        CallProof.TryRead([], Now, out _, out var refusal).Should().BeFalse();

        refusal!.Code.Should().Be(AccessCodes.IdentityRequired);
        refusal.Status.Should().Be(StatusCode.PermissionDenied);
        refusal.Message.Should().Contain(CallIdentityHeaders.Caller).And.Contain(CallIdentityHeaders.Key)
            .And.Contain(CallIdentityHeaders.TimeMs).And.Contain(CallIdentityHeaders.Signature);
    }

    [Fact]
    public void Partial_or_malformed_headers_are_unauthenticated_and_say_what_is_wrong()
    {
        var partial = new Metadata { { CallIdentityHeaders.Caller, "kz-customs" } };
        CallProof.TryRead(partial, Now, out _, out var missing).Should().BeFalse();
        missing!.Code.Should().Be(AccessCodes.IdentityMalformed);
        missing.Message.Should().Contain(CallIdentityHeaders.Signature);

        var badTime = Headers(TimeSpan.Zero);
        badTime.Remove(badTime.Get(CallIdentityHeaders.TimeMs)!);
        badTime.Add(CallIdentityHeaders.TimeMs, "yesterday");
        CallProof.TryRead(badTime, Now, out _, out var time).Should().BeFalse();
        time!.Code.Should().Be(AccessCodes.IdentityMalformed);
        time.Status.Should().Be(StatusCode.Unauthenticated);
        time.Message.Should().Contain("'yesterday'");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
