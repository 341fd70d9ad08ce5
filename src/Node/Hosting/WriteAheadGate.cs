using Ledger.Node.Consensus;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// Makes the driver's write-ahead records durable, and lets no message leave while the latest one is not. With the
/// validator set checked here at start, a record too large for the journal is a bug. Meeting one, a validator must
/// not send what it could forget, nor die: a restart would resume into the same state and die again. So it holds
/// its messages back, logs each refused record and keeps running, like a crashed validator to the others (the
/// protocol tolerates those). Timeouts and peers' precommits still move it on, and the first record that fits
/// holds everything signed so far, so sending resumes from there (docs/PROTOCOL.md, "Write-ahead record").
/// </summary>
public sealed class WriteAheadGate
{
    private readonly ConsensusJournal _journal;
    private readonly int _self;
    private readonly ILogger _log;

    /// <exception cref="InvalidOperationException">The worst-case record of this many validators does not fit the journal.</exception>
    public WriteAheadGate(ConsensusJournal journal, int validatorCount, int ownMessagesMax, int self, ILogger log)
    {
        var bytesMax = WriteAheadCodec.EncodedBytesMax(validatorCount, ownMessagesMax);
        if (bytesMax > ConsensusJournal.RecordBytesMax)
        {
            throw new InvalidOperationException(
                $"a validator of a set of {validatorCount} may need a write-ahead record of {bytesMax} bytes; the journal keeps at most {ConsensusJournal.RecordBytesMax}");
        }
        _journal = journal;
        _self = self;
        _log = log;
    }

    /// <summary>False from a refused record until the next one is durable.</summary>
    public bool MaySend { get; private set; } = true;

    public void Persist(WriteAheadRecord record)
    {
        var bytes = WriteAheadCodec.Encode(record, _self);
        if (bytes.Length > ConsensusJournal.RecordBytesMax)
        {
            MaySend = false;
            _log.LogError(
                "Write-ahead record of height {Height} round {Round} step {Step} has {Bytes} bytes, over the journal's {BytesMax}: not stored, and this validator sends nothing until a record is",
                record.Height, record.Round, record.Step, bytes.Length, ConsensusJournal.RecordBytesMax);
            return;
        }
        _journal.Save(record.Height, bytes);
        MaySend = true;
    }
}
