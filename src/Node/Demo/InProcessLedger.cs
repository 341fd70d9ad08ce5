using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Node.Demo;

/// <summary>
/// One node's worth of ledger in this process: every submitted transaction is decoded (signature
/// checked) and committed in a block of its own. Keeps the blocks so the whole ledger can be replayed.
/// </summary>
public sealed class InProcessLedger
{
    private readonly InMemoryLedger _ledger;
    private readonly List<(BlockContext Block, TxEnvelope Tx, Hash32 StateRoot)> _blocks = [];

    public InProcessLedger(IReadOnlyList<KeyValuePair<string, byte[]?>> genesisEntries, long genesisTimeMs)
    {
        GenesisEntries = genesisEntries;
        _ledger = new InMemoryLedger(genesisEntries);
        Config = _ledger.Config;
        TimeMs = genesisTimeMs;
    }

    public IReadOnlyList<KeyValuePair<string, byte[]?>> GenesisEntries { get; }

    public NetworkConfig Config { get; }

    public long TimeMs { get; private set; }

    public ulong Height => (ulong)_blocks.Count;

    public Hash32 StateRoot => _ledger.StateRoot;

    public IReadOnlyList<(BlockContext Block, TxEnvelope Tx, Hash32 StateRoot)> Blocks => _blocks;

    public LedgerState State => new(new StateOverlay(_ledger.Values), Config);

    public InMemoryLedger Inner => _ledger;

    /// <summary>Advances the block clock, as real time passes between the story's steps.</summary>
    public void Advance(TimeSpan by) => TimeMs += (long)by.TotalMilliseconds;

    /// <summary>Decodes and commits one transaction; a stateless refusal commits nothing.</summary>
    public Receipt Submit(TxEnvelope envelope)
    {
        var decoded = TransactionDecoder.Decode(envelope, Config.ChainId, Config.Limits);
        if (decoded.Refusal is { } refusal)
        {
            return TransactionOutcome.Refused(TransactionSigner.IdOf(Config.ChainId, envelope), refusal);
        }
        TimeMs += 1_000;
        var block = new BlockContext(Config.ChainId, Height + 1, TimeMs);
        var outcome = _ledger.Apply(block, [decoded.Transaction!]);
        _blocks.Add((block, envelope, outcome.StateRoot));
        return outcome.Receipts[0];
    }

    /// <summary>Re-executes every block from genesis on a fresh state and returns the first height whose root differs, or null.</summary>
    public ulong? Replay()
    {
        var replica = new InMemoryLedger(GenesisEntries);
        foreach (var (block, tx, root) in _blocks)
        {
            var decoded = TransactionDecoder.Decode(tx, Config.ChainId, Config.Limits);
            if (decoded.Transaction is null || replica.Apply(block, [decoded.Transaction]).StateRoot != root)
            {
                return block.Height;
            }
        }
        return null;
    }

    public static string Describe(Receipt receipt) =>
        receipt.Code == RuleCatalog.Ok ? "committed" : $"refused {receipt.Code}: {receipt.Message}";
}
