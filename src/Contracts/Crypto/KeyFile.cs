using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// A key pair on disk, as JSON (docs/PROTOCOL.md, "Key files"): the suite, the public key, the organisation
/// (optional) and either the private key in hex (a plain file, for tests and devnets) or the private key sealed
/// under a passphrase (<see cref="EncryptedPrivateKey"/>). The file is created readable and writable by its owner
/// only (mode 0600); loading refuses a file others may read or write unless told otherwise, and checks that the
/// public key is the one the private key derives.
/// </summary>
public sealed record KeyFile(KeyPair Pair, string? Organisation = null)
{
    // A key file holds a few hundred bytes; anything far larger is not one and is not read into memory.
    public const int FileBytesMax = 64 * 1024;

    public const string ScryptKdf = "scrypt";
    public const string AesGcmCipher = "aes-256-gcm";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>
    /// Writes the file, private key in hex, with mode 0600. Refuses to replace an existing file unless
    /// <paramref name="overwrite"/>; a replaced file is set to 0600 too, before the secret is written.
    /// </summary>
    /// <exception cref="KeyFileException">The file exists and overwrite is false, or it cannot be written.</exception>
    public Task SaveAsync(string path, bool overwrite = false, CancellationToken cancellationToken = default) =>
        WriteAsync(path, ToJson(), overwrite, cancellationToken);

    /// <summary>As <see cref="SaveAsync"/>, with the private key sealed under <paramref name="passphrase"/>.</summary>
    /// <exception cref="KeyFileException">The file exists and overwrite is false, or it cannot be written.</exception>
    public Task SaveEncryptedAsync(string path, string passphrase, bool overwrite = false, CancellationToken cancellationToken = default) =>
        WriteAsync(path, ToEncryptedJson(passphrase), overwrite, cancellationToken);

    /// <summary>Reads and checks a key file, asking for the passphrase if it is encrypted.</summary>
    /// <exception cref="KeyFileException">Missing, unreadable, exposed to others, malformed, not opened by the passphrase, or the keys do not match.</exception>
    public static async Task<KeyFile> LoadAsync(string path, KeyFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= KeyFileOptions.Default;
        byte[] bytes;
        try
        {
            CheckBeforeReading(path, options);
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be read: {ex.Message}", ex);
        }
        return Parse(bytes, path, options);
    }

    /// <summary>As <see cref="LoadAsync"/>, for callers that cannot wait (a dependency-injection factory).</summary>
    /// <exception cref="KeyFileException">As <see cref="LoadAsync"/>.</exception>
    public static KeyFile Load(string path, KeyFileOptions? options = null)
    {
        options ??= KeyFileOptions.Default;
        byte[] bytes;
        try
        {
            CheckBeforeReading(path, options);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be read: {ex.Message}", ex);
        }
        return Parse(bytes, path, options);
    }

    /// <summary>The file's JSON text, private key in hex.</summary>
    public string ToJson() => Serialize(new Stored(Suite, PublicKeyHex, Convert.ToHexStringLower(Pair.Private.Bytes), Organisation, null));

    /// <summary>The file's JSON text, private key sealed under <paramref name="passphrase"/>.</summary>
    public string ToEncryptedJson(string passphrase) => ToEncryptedJson(passphrase, EncryptedPrivateKey.DefaultLogN);

    internal string ToEncryptedJson(string passphrase, int scryptLogN)
    {
        var sealedKey = EncryptedPrivateKey.Seal(Pair.Private.Bytes, passphrase, AssociatedData(Suite, PublicKeyHex, Organisation), scryptLogN);
        return Serialize(new Stored(Suite, PublicKeyHex, null, Organisation, StoredEncryption.From(sealedKey)));
    }

    /// <summary>Parses and checks a key file's content; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="KeyFileException">Malformed, not opened by the passphrase, or the keys do not match.</exception>
    public static KeyFile Parse(ReadOnlySpan<byte> json, string path, KeyFileOptions? options = null)
    {
        options ??= KeyFileOptions.Default;
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new KeyFileException(path, $"is not a key file in JSON: {ex.Message}", ex);
        }
        if (stored is null)
        {
            throw new KeyFileException(path, "holds null instead of a key object");
        }
        var suiteName = Required(stored.Suite, "suite", path);
        if (!KeySuiteNames.TryParse(suiteName, out var suite, out var suiteError))
        {
            throw new KeyFileException(path, $"\"suite\": {suiteError}");
        }
        var publicKeyHex = Required(stored.PublicKey, "publicKey", path);
        var publicKey = Hex(publicKeyHex, "publicKey", path);
        if (stored.Organisation is not null && string.IsNullOrWhiteSpace(stored.Organisation))
        {
            throw new KeyFileException(path, "\"organisation\" is empty; leave it out or name the organisation id");
        }
        var privateKey = (stored.PrivateKey, stored.Encrypted) switch
        {
            (not null, not null) => throw new KeyFileException(path, "has both \"privateKey\" and \"encrypted\"; a key file holds one of them"),
            (null, null) => throw new KeyFileException(path, "has no \"privateKey\" (nor \"encrypted\")"),
            (null, { } encrypted) => Open(encrypted, AssociatedData(suiteName, publicKeyHex, stored.Organisation), path, options),
            ({ } hex, null) => Hex(Required(hex, "privateKey", path), "privateKey", path),
        };

        KeyPair pair;
        try
        {
            pair = SignatureSuites.For(suite).FromPrivateKey(privateKey);
        }
        catch (ArgumentException ex)
        {
            throw new KeyFileException(path, $"\"privateKey\" is not valid: {ex.Message}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
        if (!pair.Public.Key.Span.SequenceEqual(publicKey))
        {
            throw new KeyFileException(path, "\"publicKey\" is not the public key of \"privateKey\"; the file was altered or mixed up");
        }
        return new KeyFile(pair, stored.Organisation);
    }

    private string Suite => KeySuiteNames.Format(Pair.Public.Suite);

    private string PublicKeyHex => Convert.ToHexStringLower(Pair.Public.Key.Span);

    private static string Serialize(Stored stored) => JsonSerializer.Serialize(stored, JsonOptions);

    // What the sealed key is bound to: changing any of these members makes the passphrase fail to open it.
    private static byte[] AssociatedData(string suite, string publicKeyHex, string? organisation) =>
        Encoding.UTF8.GetBytes($"ledger key file v1\n{suite}\n{publicKeyHex.ToLowerInvariant()}\n{organisation}");

    private static void CheckBeforeReading(string path, KeyFileOptions options)
    {
        var length = new FileInfo(path).Length;
        if (length > FileBytesMax)
        {
            throw new KeyFileException(path, $"has {length} bytes, more than the {FileBytesMax} a key file may have");
        }
        if (KeyFileMode.Problem(path) is { } problem)
        {
            if (!options.AllowInsecureMode)
            {
                throw new KeyFileException(path, problem);
            }
            options.Warning?.Invoke($"key file '{path}' {problem.Split(';')[0]}; used because insecure key files are allowed");
        }
    }

    private static byte[] Open(StoredEncryption encrypted, byte[] associatedData, string path, KeyFileOptions options)
    {
        var sealedKey = encrypted.ToSealedKey(path);
        var passphrase = options.Passphrase?.Invoke(path)
            ?? throw new KeyFileException(path, "is encrypted, and no passphrase was given");
        byte[]? secret;
        try
        {
            secret = sealedKey.Open(passphrase, associatedData);
        }
        catch (ArgumentException ex)
        {
            throw new KeyFileException(path, $"\"encrypted\": {ex.Message}", ex);
        }
        return secret ?? throw new KeyFileException(path, "the passphrase does not open it (a wrong passphrase, or the file was altered)");
    }

    private static string Required(string? value, string name, string path) =>
        string.IsNullOrEmpty(value) ? throw new KeyFileException(path, $"has no \"{name}\"") : value;

    private static byte[] Hex(string value, string name, string path)
    {
        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException ex)
        {
            throw new KeyFileException(path, $"\"{name}\" is not hex (an even number of 0-9, a-f)", ex);
        }
    }

    private static async Task WriteAsync(string path, string json, bool overwrite, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var options = new FileStreamOptions
        {
            Mode = overwrite ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException ex) when (!overwrite && File.Exists(path))
        {
            throw new KeyFileException(path, "already exists; refusing to overwrite it", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be created: {ex.Message}", ex);
        }
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // UnixCreateMode applies only to a new file; an existing one would keep its mode.
                    File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be written: {ex.Message}", ex);
        }
    }

    // The file's shape; only these types are (de)serialised, so the JSON never depends on the record above.
    private sealed record Stored(string? Suite, string? PublicKey, string? PrivateKey, string? Organisation, StoredEncryption? Encrypted);

    private sealed record StoredEncryption(string? Kdf, int LogN, int R, int P, string? Salt, string? Cipher, string? Nonce, string? Ciphertext, string? Tag)
    {
        public static StoredEncryption From(EncryptedPrivateKey key) => new(
            ScryptKdf, key.ScryptLogN, key.ScryptR, key.ScryptP, Convert.ToHexStringLower(key.Salt),
            AesGcmCipher, Convert.ToHexStringLower(key.Nonce), Convert.ToHexStringLower(key.Ciphertext), Convert.ToHexStringLower(key.Tag));

        public EncryptedPrivateKey ToSealedKey(string path)
        {
            if (Kdf != ScryptKdf || Cipher != AesGcmCipher)
            {
                throw new KeyFileException(path, $"\"encrypted\" uses kdf '{Kdf}' and cipher '{Cipher}'; this version reads only '{ScryptKdf}' with '{AesGcmCipher}'");
            }
            return new EncryptedPrivateKey(LogN, R, P,
                Hex(Required(Salt, "encrypted.salt", path), "encrypted.salt", path),
                Hex(Required(Nonce, "encrypted.nonce", path), "encrypted.nonce", path),
                Hex(Required(Ciphertext, "encrypted.ciphertext", path), "encrypted.ciphertext", path),
                Hex(Required(Tag, "encrypted.tag", path), "encrypted.tag", path));
        }
    }
}
