using Ledger.Contracts.Crypto;
using Ledger.Node.Access;
using Ledger.Wire;

namespace Ledger.Node.Tests.Access;

public sealed class MemberKeyVerdictTests
{
    private static readonly PublicKey Key = SignatureSuites.Generate(KeySuite.Ed25519).Public;
    private static readonly string KeyText = PublicKeyText.Format(Key);

    private static OrganisationRecord Member(long revokedAtMs = 0, bool suspended = false) => new()
    {
        Organisation = new Organisation { Id = "kz-customs" },
        Suspended = suspended,
        Keys = { new KeyRecord { Key = Key, ValidFromMs = 1, RevokedAtMs = revokedAtMs } },
    };

    [Fact]
    public void An_active_key_of_a_member_may_read() =>
        MemberKeyVerdict.Of("kz-customs", Member(), Key, KeyText).Should().BeNull();

    [Fact]
    public void A_revoked_key_may_not_read_and_the_refusal_says_when_it_was_revoked()
    {
        var refusal = MemberKeyVerdict.Of("kz-customs", Member(revokedAtMs: 1_700_000_000_000), Key, KeyText);

        refusal!.Code.Should().Be(AccessCodes.MemberKeyRevoked);
        refusal.Status.Should().Be(Grpc.Core.StatusCode.PermissionDenied);
        refusal.Message.Should().Contain("revoked at 1700000000000");
    }

    [Fact]
    public void A_suspended_organisation_may_not_read() =>
        MemberKeyVerdict.Of("kz-customs", Member(suspended: true), Key, KeyText)!.Code.Should().Be(AccessCodes.MemberSuspended);

    [Fact]
    public void Another_key_or_no_organisation_is_unknown()
    {
        var other = SignatureSuites.Generate(KeySuite.Ed25519).Public;
        MemberKeyVerdict.Of("kz-customs", Member(), other, PublicKeyText.Format(other))!.Code.Should().Be(AccessCodes.MemberKeyUnknown);
        MemberKeyVerdict.Of("nobody", null, Key, KeyText)!.Message.Should().Contain("'nobody' is no member organisation");
    }
}
