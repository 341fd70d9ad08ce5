using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>Key files sealed under a passphrase, and files others may read. Sealed here at the lowest scrypt cost, to stay quick.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptedKeyFileTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private const int CheapLogN = EncryptedPrivateKey.LogNMin;
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static KeyFileOptions With(string passphrase) => new(_ => passphrase);

    private static byte[] Sealed(KeyFile file) => Encoding.UTF8.GetBytes(file.ToEncryptedJson(Passphrase, CheapLogN));

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public void A_sealed_key_opens_with_its_passphrase_as_the_same_pair(KeySuite suite)
    {
        var file = new KeyFile(SignatureSuites.Generate(suite), "kz-chamber");

        var opened = KeyFile.Parse(Sealed(file), "k.json", With(Passphrase));

        opened.Should().Be(file);
    }

    [Fact]
    public void A_sealed_file_holds_neither_the_private_key_nor_a_privateKey_member()
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));

        var json = Encoding.UTF8.GetString(Sealed(file));

        json.Should().NotContain(Convert.ToHexStringLower(file.Pair.Private.Bytes)).And.NotContain("privateKey");
        JsonNode.Parse(json)!["encrypted"]!["cipher"]!.GetValue<string>().Should().Be("aes-256-gcm");
    }

    [Fact]
    public void Two_seals_of_one_key_differ_in_salt_and_nonce()
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));

        Sealed(file).Should().NotEqual(Sealed(file));
    }

    [Fact]
    public void A_wrong_passphrase_is_refused_naming_the_file()
    {
        var bytes = Sealed(new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519)));

        var open = () => KeyFile.Parse(bytes, "k.json", With("Correct horse battery staple"));

        open.Should().Throw<KeyFileException>().WithMessage("key file 'k.json': the passphrase does not open it*");
    }

    [Fact]
    public void A_sealed_file_without_a_passphrase_source_is_refused()
    {
        var bytes = Sealed(new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519)));

        var open = () => KeyFile.Parse(bytes, "k.json");

        open.Should().Throw<KeyFileException>().WithMessage("key file 'k.json': is encrypted, and no passphrase was given");
    }

    [Fact]
    public void A_plain_file_never_asks_for_a_passphrase()
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));

        var opened = KeyFile.Parse(Encoding.UTF8.GetBytes(file.ToJson()), "k.json", new KeyFileOptions(_ => throw new InvalidOperationException("asked")));

        opened.Should().Be(file);
    }

    [Theory]
    [InlineData("organisation", "cn-ccpit")]
    [InlineData("suite", "p256")]
    public void A_member_changed_beside_the_sealed_key_makes_it_unopenable(string member, string value)
    {
        var json = JsonNode.Parse(Sealed(new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519), "kz-chamber")))!;
        json[member] = value;

        var open = () => KeyFile.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), "k.json", With(Passphrase));

        open.Should().Throw<KeyFileException>().WithMessage("key file 'k.json': the passphrase does not open it*");
    }

    [Theory]
    [InlineData("logN", 21, "outside logN 10-20")]
    [InlineData("logN", 0, "outside logN 10-20")]
    [InlineData("r", 16, "more than 256")]
    [InlineData("p", 5, "outside logN 10-20, r 1-16, p 1-4")]
    public void A_file_asking_for_an_unbounded_scrypt_cost_is_refused_before_deriving(string member, int value, string reason)
    {
        var json = JsonNode.Parse(Sealed(new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519))))!;
        json["encrypted"]![member] = value;
        if (member == "r")
        {
            json["encrypted"]!["logN"] = 18;
        }

        var open = () => KeyFile.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), "k.json", With(Passphrase));

        open.Should().Throw<KeyFileException>().WithMessage($"key file 'k.json': \"encrypted\": scrypt cost*{reason}*");
    }

    [Fact]
    public void A_file_with_both_a_plain_and_a_sealed_key_is_refused()
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));
        var json = JsonNode.Parse(Sealed(file))!;
        json["privateKey"] = Convert.ToHexStringLower(file.Pair.Private.Bytes);

        var open = () => KeyFile.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), "k.json", With(Passphrase));

        open.Should().Throw<KeyFileException>().WithMessage("*has both \"privateKey\" and \"encrypted\"*");
    }

    [Fact]
    public async Task A_saved_sealed_file_uses_the_default_scrypt_cost_and_mode_0600()
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));
        var path = Path.Combine(_directory, "key.json");

        await file.SaveEncryptedAsync(path, Passphrase);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        json.RootElement.GetProperty("encrypted").GetProperty("logN").GetInt32().Should().Be(EncryptedPrivateKey.DefaultLogN);
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await KeyFile.LoadAsync(path, With(Passphrase))).Should().Be(file);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640", "its group")]
    [InlineData(UnixFileMode.OtherRead, "0604", "every user of this host")]
    [InlineData(UnixFileMode.GroupWrite, "0620", "its group")]
    public async Task A_key_file_others_may_read_or_write_is_refused_unless_allowed_and_then_warned(UnixFileMode extra, string octal, string who)
    {
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));
        var path = Path.Combine(_directory, "key.json");
        await file.SaveAsync(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
        var warnings = new List<string>();

        var strict = () => KeyFile.LoadAsync(path);
        var allowed = await KeyFile.LoadAsync(path, new KeyFileOptions(AllowInsecureMode: true, Warning: warnings.Add));

        (await strict.Should().ThrowAsync<KeyFileException>()).WithMessage($"key file '{path}': has mode {octal}: {who} can read or change it; chmod 600 it*");
        allowed.Should().Be(file);
        warnings.Should().ContainSingle().Which.Should().Contain($"'{path}' has mode {octal}");
    }

    [Fact]
    public async Task A_key_file_only_its_owner_may_read_loads_without_a_warning()
    {
        var path = Path.Combine(_directory, "key.json");
        await new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519)).SaveAsync(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        var warnings = new List<string>();

        await KeyFile.LoadAsync(path, new KeyFileOptions(AllowInsecureMode: true, Warning: warnings.Add));

        warnings.Should().BeEmpty();
    }
}
