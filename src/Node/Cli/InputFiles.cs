using System.Security.Cryptography;
using Google.Protobuf;

namespace Ledger.Node.Cli;

/// <summary>Reads the files commands take: proto3 JSON of a wire message, and documents to hash.</summary>
public static class InputFiles
{
    /// <summary>Bytes read from a document at most, so a wrong path to a disk image fails instead of hashing for an hour.</summary>
    public const long DocumentBytesMax = 1L << 30;

    // Unknown fields are errors: a misspelt "expotrCountry" must not silently leave a field empty.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>Parses the proto3 JSON mapping of <typeparamref name="T"/> from a file.</summary>
    /// <exception cref="CliInputException">The file is missing or not valid JSON of that message; the message names the file.</exception>
    public static async Task<T> ProtoJsonAsync<T>(FileInfo file, CancellationToken ct)
        where T : IMessage<T>, new()
    {
        var text = await ReadTextAsync(file, ct);
        try
        {
            return Parser.Parse<T>(text);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException or InvalidOperationException)
        {
            throw new CliInputException($"{file.FullName}: not a valid {new T().Descriptor.FullName} in proto3 JSON: {e.Message}", e);
        }
    }

    /// <summary>SHA-256 of a document (the content hash a certificate records).</summary>
    /// <exception cref="CliInputException">The file is missing, unreadable or too large.</exception>
    public static async Task<byte[]> Sha256Async(FileInfo file, CancellationToken ct)
    {
        try
        {
            await using var stream = file.OpenRead();
            if (stream.Length > DocumentBytesMax)
            {
                throw new CliInputException($"{file.FullName}: {stream.Length} bytes; documents are at most {DocumentBytesMax} bytes");
            }
            return await SHA256.HashDataAsync(stream, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{file.FullName}: {e.Message}", e);
        }
    }

    private static async Task<string> ReadTextAsync(FileInfo file, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{file.FullName}: {e.Message}", e);
        }
    }
}
