using System.Text;
using Ledger.Contracts.Crypto;

namespace Ledger.Client.Audit;

/// <summary>
/// The auditor's state at a height, saved so a replay can resume there. Rebuilding its tree must give
/// the recorded root, so a damaged or edited checkpoint is refused rather than trusted.
/// </summary>
public sealed record AuditCheckpoint(ulong Height, Hash32 BlockHash, long TimeMs, Hash32 StateRoot, IReadOnlyList<KeyValuePair<string, byte[]?>> Entries)
{
    private const string Magic = "ledger-audit-checkpoint-v1";

    public async Task SaveAsync(string path, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        await using (var writer = new BinaryWriter(file, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(Height);
            writer.Write(BlockHash.ToArray());
            writer.Write(TimeMs);
            writer.Write(StateRoot.ToArray());
            writer.Write(Entries.Count);
            foreach (var (key, value) in Entries)
            {
                writer.Write(key);
                writer.Write(value!.Length);
                writer.Write(value);
            }
            writer.Flush();
            await file.FlushAsync(ct);
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
            if (reader.ReadString() != Magic)
            {
                throw new InvalidDataException($"'{path}' is not an audit checkpoint");
            }
            var height = reader.ReadUInt64();
            var hash = new Hash32(reader.ReadBytes(Hash32.Size));
            var time = reader.ReadInt64();
            var root = new Hash32(reader.ReadBytes(Hash32.Size));
            var entries = new KeyValuePair<string, byte[]?>[reader.ReadInt32()];
            for (var i = 0; i < entries.Length; i++)
            {
                var key = reader.ReadString();
                entries[i] = new(key, reader.ReadBytes(reader.ReadInt32()));
            }
            return new AuditCheckpoint(height, hash, time, root, entries);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"audit checkpoint '{path}' is truncated", e);
        }
    }
}
