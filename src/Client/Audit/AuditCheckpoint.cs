using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ledger.Contracts.Crypto;

namespace Ledger.Client.Audit;

/// <summary>
/// The auditor's state at a height, saved so a replay can resume there. Rebuilding its tree must give
/// the recorded root, so a damaged or edited checkpoint is refused rather than trusted. The root leaves out
/// transaction marks (docs/PROTOCOL.md, "State"), so the file also ends with a SHA-256 of everything before it:
/// a damaged mark would otherwise pass, and a resumed replay would judge duplicates by it.
/// </summary>
public sealed record AuditCheckpoint(ulong Height, Hash32 BlockHash, long TimeMs, Hash32 StateRoot, IReadOnlyList<KeyValuePair<string, byte[]?>> Entries)
{
    private const string Magic = "ledger-audit-checkpoint-v2";

    public async Task SaveAsync(string path, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        var file = File.Create(temporary);
        await using (file.ConfigureAwait(false))
        {
            var writer = new BinaryWriter(file, Encoding.UTF8);
            await using (writer.ConfigureAwait(false))
            {
                using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                writer.Write(Magic);
                writer.Write(Height);
                writer.Write(BlockHash.ToArray());
                writer.Write(TimeMs);
                writer.Write(StateRoot.ToArray());
                writer.Write(Entries.Count);
                AppendHeader(digest, Height, BlockHash, TimeMs, StateRoot, Entries.Count);
                foreach (var (key, value) in Entries)
                {
                    writer.Write(key);
                    writer.Write(value!.Length);
                    writer.Write(value);
                    AppendEntry(digest, key, value);
                }
                writer.Write(digest.GetHashAndReset());
                writer.Flush();
                await file.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        // Written aside, then moved: a crash mid-save leaves the previous checkpoint whole.
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The file is not a checkpoint.</exception>
    public static AuditCheckpoint Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            var magic = reader.ReadString();
            if (magic != Magic)
            {
                throw new InvalidDataException(magic.StartsWith("ledger-audit-checkpoint-", StringComparison.Ordinal)
                    ? $"'{path}' is an audit checkpoint of another format ({magic}, not {Magic}): delete it and replay from genesis"
                    : $"'{path}' is not an audit checkpoint");
            }
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var height = reader.ReadUInt64();
            var hash = new Hash32(reader.ReadBytes(Hash32.Size));
            var time = reader.ReadInt64();
            var root = new Hash32(reader.ReadBytes(Hash32.Size));
            var entries = new KeyValuePair<string, byte[]?>[reader.ReadInt32()];
            AppendHeader(digest, height, hash, time, root, entries.Length);
            for (var i = 0; i < entries.Length; i++)
            {
                var key = reader.ReadString();
                var value = reader.ReadBytes(reader.ReadInt32());
                AppendEntry(digest, key, value);
                entries[i] = new(key, value);
            }
            if (!reader.ReadBytes(Hash32.Size).AsSpan().SequenceEqual(digest.GetHashAndReset()))
            {
                throw new InvalidDataException($"audit checkpoint '{path}' is damaged: its contents do not match their digest");
            }
            return new AuditCheckpoint(height, hash, time, root, entries);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"audit checkpoint '{path}' is truncated", e);
        }
    }

    private static void AppendHeader(IncrementalHash digest, ulong height, Hash32 blockHash, long timeMs, Hash32 stateRoot, int entries)
    {
        Span<byte> numbers = stackalloc byte[sizeof(ulong) + sizeof(long) + sizeof(int)];
        BinaryPrimitives.WriteUInt64LittleEndian(numbers, height);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[sizeof(ulong)..], timeMs);
        BinaryPrimitives.WriteInt32LittleEndian(numbers[(sizeof(ulong) + sizeof(long))..], entries);
        digest.AppendData(numbers);
        digest.AppendData(blockHash.Span);
        digest.AppendData(stateRoot.Span);
    }

    // Lengths first, so that no two different entries feed the digest the same bytes.
    private static void AppendEntry(IncrementalHash digest, string key, byte[] value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        Span<byte> lengths = stackalloc byte[2 * sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(lengths, keyBytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(lengths[sizeof(int)..], value.Length);
        digest.AppendData(lengths);
        digest.AppendData(keyBytes);
        digest.AppendData(value);
    }
}
