using System.Text;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

public sealed class KeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Suites.All), MemberType = typeof(Suites))]
    public async Task A_saved_key_file_loads_as_the_same_pair(KeySuite suite)
    {
        var file = new KeyFile(SignatureSuites.Generate(suite), "kz-chamber");
        var path = Path.Combine(_directory, "key.json");

        await file.SaveAsync(path);
        var loaded = await KeyFile.LoadAsync(path);

        loaded.Should().Be(file);
    }

    [Fact]
    public async Task The_file_has_the_documented_json_shape()
    {
        var pair = SignatureSuites.For(KeySuite.Ed25519)
            .FromPrivateKey(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        var path = Path.Combine(_directory, "key.json");

        await new KeyFile(pair).SaveAsync(path);
        var json = await File.ReadAllTextAsync(path);

        json.ReplaceLineEndings("").Replace(" ", "").Should().Be(
            "{\"suite\":\"ed25519\"," +
            "\"publicKey\":\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"," +
            "\"privateKey\":\"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\"}");
    }

    [Fact]
    public async Task A_saved_key_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var path = Path.Combine(_directory, "key.json");

        await new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519)).SaveAsync(path);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task An_existing_file_is_not_overwritten_unless_asked()
    {
        var path = Path.Combine(_directory, "key.json");
        var first = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));
        var second = new KeyFile(SignatureSuites.Generate(KeySuite.Ed25519));
        await first.SaveAsync(path);

        var save = () => second.SaveAsync(path);

        (await save.Should().ThrowAsync<KeyFileException>()).WithMessage($"*'{path}'*already exists*");
        (await KeyFile.LoadAsync(path)).Should().Be(first);
    }

    [Fact]
    public async Task An_overwritten_file_gets_the_new_key_and_mode_0600()
    {
        var path = Path.Combine(_directory, "key.json");
        await File.WriteAllTextAsync(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }
        var file = new KeyFile(SignatureSuites.Generate(KeySuite.Sm2Sm3));

        await file.SaveAsync(path, overwrite: true);

        (await KeyFile.LoadAsync(path)).Should().Be(file);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task A_file_whose_public_key_was_altered_is_refused_naming_the_file()
    {
        var path = Path.Combine(_directory, "key.json");
        var pair = SignatureSuites.Generate(KeySuite.Ed25519);
        var other = SignatureSuites.Generate(KeySuite.Ed25519);
        await new KeyFile(pair).SaveAsync(path);
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace(
            Convert.ToHexStringLower(pair.Public.Key.Span), Convert.ToHexStringLower(other.Public.Key.Span)));

        var load = () => KeyFile.LoadAsync(path);

        (await load.Should().ThrowAsync<KeyFileException>())
            .WithMessage($"key file '{path}': \"publicKey\" is not the public key of \"privateKey\"*")
            .Which.Path.Should().Be(path);
    }

    [Theory]
    [InlineData("not json", "is not a key file in JSON")]
    [InlineData("null", "holds null")]
    [InlineData("{}", "has no \"suite\"")]
    [InlineData("{\"suite\":\"rsa\",\"publicKey\":\"00\",\"privateKey\":\"00\"}", "allowed: ed25519")]
    [InlineData("{\"suite\":\"ed25519\",\"privateKey\":\"00\"}", "has no \"publicKey\"")]
    [InlineData("{\"suite\":\"ed25519\",\"publicKey\":\"00\"}", "has no \"privateKey\"")]
    [InlineData("{\"suite\":\"ed25519\",\"publicKey\":\"zz\",\"privateKey\":\"00\"}", "\"publicKey\" is not hex")]
    [InlineData("{\"suite\":\"ed25519\",\"publicKey\":\"00\",\"privateKey\":\"00\"}", "\"privateKey\" is not valid")]
    [InlineData("{\"suite\":\"p256\",\"publicKey\":\"00\",\"privateKey\":\"" +
        "0000000000000000000000000000000000000000000000000000000000000000\"}", "\"privateKey\" is not valid")]
    [InlineData("{\"suite\":\"ed25519\",\"publicKey\":\"00\",\"privateKey\":\"00\",\"extra\":1}", "is not a key file in JSON")]
    [InlineData("{\"suite\":\"ed25519\",\"publicKey\":\"00\",\"privateKey\":\"00\",\"organisation\":\" \"}", "\"organisation\" is empty")]
    public void Malformed_content_is_refused_with_a_reason(string json, string reason)
    {
        var parse = () => KeyFile.Parse(Encoding.UTF8.GetBytes(json), "k.json");

        parse.Should().Throw<KeyFileException>().WithMessage($"key file 'k.json': *{reason}*");
    }

    [Fact]
    public async Task A_missing_file_is_reported_by_name()
    {
        var path = Path.Combine(_directory, "absent.json");

        var load = () => KeyFile.LoadAsync(path);

        (await load.Should().ThrowAsync<KeyFileException>()).WithMessage($"key file '{path}': cannot be read*");
    }
}
