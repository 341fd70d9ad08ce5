using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Contracts.State;

/// <summary>A whole ledger state held in memory with its state tree: for tests, benchmarks and replays.</summary>
public sealed class InMemoryLedger
{
    private readonly InMemoryState _values = new();
    private readonly InMemoryTreeNodeStore _tree = new();

    public InMemoryLedger(IReadOnlyList<KeyValuePair<string, byte[]?>> genesisEntries)
    {
        _values.Apply(genesisEntries);
        var update = LedgerStateMachine.Genesis(genesisEntries, _tree);
        _tree.Put(update.NewNodes);
        StateRoot = update.Root;
    }

    public Hash32 StateRoot { get; private set; }

    public IStateReader Values => _values;

    public ITreePageReader TreeNodes => _tree;

    public NetworkConfig Config => LedgerState.ReadConfig(_values);

    /// <summary>Applies a block and keeps its outcome.</summary>
    public BlockOutcome Apply(BlockContext block, IReadOnlyList<DecodedTransaction> transactions, IReadOnlyList<Wire.EquivocationProof>? evidence = null)
    {
        var outcome = LedgerStateMachine.Apply(_values, _tree, StateRoot, block, transactions, evidence);
        _values.Apply(outcome.Changes);
        _tree.Put(outcome.Tree.NewNodes);
        StateRoot = outcome.StateRoot;
        return outcome;
    }

    /// <summary>A proof that <paramref name="stateKey"/> has its current value (or is absent) under <see cref="StateRoot"/>.</summary>
    /// <exception cref="ArgumentException">The root does not commit to the key (a transaction's mark).</exception>
    public StateTree.StateProof Prove(string stateKey) => StateKeys.IsInStateRoot(stateKey)
        ? new SparseMerkleTree(_tree, StateRoot).Prove(LedgerStateMachine.TreeKey(stateKey))
        : throw new ArgumentException($"state key {stateKey} is not under the state root: it has no proof", nameof(stateKey));
}
