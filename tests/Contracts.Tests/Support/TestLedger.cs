using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Support;

/// <summary>
/// A ledger in memory for contract tests: each submitted transaction is executed in a block of its
/// own, one hour after the previous block.
/// </summary>
public sealed class TestLedger
{
    public const long BlockIntervalMs = 3_600_000;
    private readonly InMemoryState _state;
    private ulong _nonce;

    public TestLedger(Action<NetworkConfig>? configure = null)
    {
        var config = TestNetwork.Config();
        configure?.Invoke(config);
        _state = GenesisState.Create(config, TestNetwork.Organisations());
        TimeMs = TestNetwork.GenesisTimeMs + (30 * TestNetwork.DayMs);
    }

    public ulong Height { get; private set; }

    /// <summary>The time the next block will carry.</summary>
    public long TimeMs { get; set; }

    /// <summary>The state now, with the configuration as the state holds it (governance may have changed its registry).</summary>
    public LedgerState State => new(new StateOverlay(_state), LedgerState.ReadConfig(_state));

    public IStateReader Reader => _state;

    public static TxBody Body(string signer, Action<TxBody> kind, int keyGeneration = 0)
    {
        var body = new TxBody { ChainId = TestNetwork.ChainId, SignerOrg = signer, SignerKey = TestNetwork.KeyOf(signer, keyGeneration) };
        kind(body);
        return body;
    }

    public DecodedTransaction Decode(TxBody body)
    {
        body.Nonce = ++_nonce;
        var bytes = body.ToByteArray();
        return new DecodedTransaction(SignedBytes.TransactionId(TestNetwork.ChainId, bytes), body,
            new TxEnvelope { Body = ByteString.CopyFrom(bytes) });
    }

    public Receipt Submit(string signer, Action<TxBody> kind, int keyGeneration = 0) =>
        Execute([Decode(Body(signer, kind, keyGeneration))])[0];

    public IReadOnlyList<Receipt> Execute(IReadOnlyList<DecodedTransaction> transactions)
    {
        Height++;
        var block = new BlockContext(TestNetwork.ChainId, Height, TimeMs);
        var result = BlockExecutor.Execute(_state, block, transactions);
        _state.Apply(result.Changes);
        Blocks.Add((block, transactions));
        LastAutomatic = result.Automatic;
        TimeMs += BlockIntervalMs;
        return result.Receipts;
    }

    /// <summary>The automatic receipts of the last block executed.</summary>
    public IReadOnlyList<Receipt> LastAutomatic { get; private set; } = [];

    /// <summary>Every block executed, in order, to replay on a fresh ledger.</summary>
    public List<(BlockContext Block, IReadOnlyList<DecodedTransaction> Transactions)> Blocks { get; } = [];

    /// <summary>The configuration as the state holds it now.</summary>
    public NetworkConfig Config => LedgerState.ReadConfig(_state);
}
