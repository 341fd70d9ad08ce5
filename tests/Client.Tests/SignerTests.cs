using Ledger.Client.Tests.Support;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client.Tests;

public sealed class SignerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ledger-client-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_signer_from_a_key_file_fills_the_body_and_signs_it_for_the_chain()
    {
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var path = Path.Combine(_folder, "kz-chamber.key.json");
        await new KeyFile(pair, "kz-chamber").SaveAsync(path);
        var time = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_767_300_000_000));

        var signer = await MemberSigner.FromKeyFileAsync(path, Corridor.ChainId, time: time);
        var signed = signer.Sign(b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = "kz-chamber/KZ-1" });

        TransactionSigner.VerifySignature(Corridor.ChainId, signed.Envelope, out var body).Should().BeTrue();
        body!.ChainId.Should().Be(Corridor.ChainId);
        body.SignerOrg.Should().Be("kz-chamber");
        body.SignerKey.Should().Be(pair.Public);
        body.CreatedAtMs.Should().Be(1_767_300_000_000);
        signed.Id.Should().Be(TransactionSigner.IdOf(Corridor.ChainId, signed.Envelope));
    }

    [Fact]
    public void Two_equal_transactions_get_different_nonces_and_ids()
    {
        var signer = new MemberSigner("kz-chamber", SignatureSuites.Generate(KeySuite.Ed25519), Corridor.ChainId);

        var first = signer.Sign(b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = "kz-chamber/KZ-1" });
        var second = signer.Sign(b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = "kz-chamber/KZ-1" });

        second.Id.Should().NotBe(first.Id);
    }

    [Fact]
    public async Task A_key_file_of_another_organisation_is_refused()
    {
        var path = Path.Combine(_folder, "other.key.json");
        await new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519), "cn-ccpit").SaveAsync(path);

        var act = () => MemberSigner.FromKeyFileAsync(path, Corridor.ChainId, "kz-chamber");

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*cn-ccpit*");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
