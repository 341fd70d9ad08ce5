using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// A key pair on disk, as JSON:
/// <c>{"suite":"ed25519","publicKey":"&lt;hex&gt;","privateKey":"&lt;hex&gt;","organisation":"kz-chamber"}</c>
/// ("organisation" optional). The file is created readable and writable by its owner only (mode 0600),
/// and loading checks that the public key is the one the private key derives.
/// </summary>
public sealed record KeyFile(KeyPair Pair, string? Organisation = null)
{
    // A key file holds a few hundred bytes; anything far larger is not one and is not read into memory.
    public const int FileBytesMax = 64 * 1024;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>
    /// Writes the file with mode 0600. Refuses to replace an existing file unless <paramref name="overwrite"/>;
    /// a replaced file is set to 0600 too, before the secret is written.
    /// </summary>
    /// <exception cref="KeyFileException">The file exists and overwrite is false, or it cannot be written.</exception>
    public async Task SaveAsync(string path, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        var bytes = Encoding.UTF8.GetBytes(ToJson());
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

    /// <summary>Reads and checks a key file.</summary>
    /// <exception cref="KeyFileException">Missing, unreadable or malformed, or the keys do not match.</exception>
    public static async Task<KeyFile> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > FileBytesMax)
            {
                throw new KeyFileException(path, $"has {length} bytes, more than the {FileBytesMax} a key file may have");
            }
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be read: {ex.Message}", ex);
        }
        return Parse(bytes, path);
    }

    /// <summary>The file's JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new Stored(
            KeySuiteNames.Format(Pair.Public.Suite),
            Convert.ToHexStringLower(Pair.Public.Key.Span),
            Convert.ToHexStringLower(Pair.Private.Bytes),
            Organisation),
        JsonOptions);

    /// <summary>Parses and checks a key file's content; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="KeyFileException">Malformed, or the keys do not match.</exception>
    public static KeyFile Parse(ReadOnlySpan<byte> json, string path)
    {
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
        if (!KeySuiteNames.TryParse(Required(stored.Suite, "suite", path), out var suite, out var suiteError))
        {
            throw new KeyFileException(path, $"\"suite\": {suiteError}");
        }
        var publicKey = Hex(Required(stored.PublicKey, "publicKey", path), "publicKey", path);
        var privateKey = Hex(Required(stored.PrivateKey, "privateKey", path), "privateKey", path);
        if (stored.Organisation is not null && string.IsNullOrWhiteSpace(stored.Organisation))
        {
            throw new KeyFileException(path, "\"organisation\" is empty; leave it out or name the organisation id");
        }

        KeyPair pair;
        try
        {
            pair = SignatureSuites.For(suite).FromPrivateKey(privateKey);
        }
        catch (ArgumentException ex)
        {
            throw new KeyFileException(path, $"\"privateKey\" is not valid: {ex.Message}", ex);
        }
        if (!pair.Public.Key.Span.SequenceEqual(publicKey))
        {
            throw new KeyFileException(path, "\"publicKey\" is not the public key of \"privateKey\"; the file was altered or mixed up");
        }
        return new KeyFile(pair, stored.Organisation);
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

    // The file's shape; only this type is (de)serialised, so the JSON never depends on the record above.
    private sealed record Stored(string? Suite, string? PublicKey, string? PrivateKey, string? Organisation);
}
