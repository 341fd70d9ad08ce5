using Google.Protobuf;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Node.Chain;
using Ledger.Node.Tests.Chain;
using Ledger.Wire;

namespace Ledger.Node.Tests.Audit;

/// <summary>A short chain of real blocks with real validator precommits, for the auditor to replay.</summary>
public sealed class AuditChain
{
    public AuditChain(int blocks, int transactionsPerBlock)
    {
        var chain = new ChainFixture();
        Config = chain.Config;
        Genesis = GenesisEntries(chain);
        var ledger = new InMemoryLedger(Genesis);
        var head = Hash32.Zero;
        var time = Config.GenesisTimeMs;
        CommitCertificate? last = null;
        var proposers = Config.Validators.Select(v => v.OrganisationId).ToArray();
        for (ulong h = 1; h <= (ulong)blocks; h++)
        {
            var view = new ChainView(Config, h - 1, head, time, ledger.StateRoot, last, ledger.Values, ledger.TreeNodes);
            var txs = Enumerable.Range(0, transactionsPerBlock).Select(i => chain.Suspend($"cn-ccpit/{h}-{i}")).ToArray();
            var proposed = BlockAssembler.Assemble(view, proposers[h % (ulong)proposers.Length], time + 1_000, txs);
            ledger.Apply(new Contracts.Execution.BlockContext(Config.ChainId, h, proposed.Block.Header.TimeMs), txs);
            var certificate = Sign(chain, h, proposed.Id, chain.ValidatorKeys.Count);
            var stored = new StoredBlock { Block = proposed.Block, Certificate = certificate };
            stored.Receipts.AddRange(proposed.Outcome.Receipts);
            Blocks.Add(stored);
            head = proposed.Id;
            time = proposed.Block.Header.TimeMs;
            last = certificate;
        }
        FinalRoot = ledger.StateRoot;
        Keys = chain.ValidatorKeys;
    }

    public NetworkConfig Config { get; }

    public IReadOnlyList<KeyValuePair<string, byte[]?>> Genesis { get; }

    public List<StoredBlock> Blocks { get; } = [];

    public Hash32 FinalRoot { get; }

    public IReadOnlyList<KeyPair> Keys { get; }

    public static CommitCertificate Sign(ChainFixture chain, ulong height, Hash32 blockId, int signers)
    {
        var certificate = new CommitCertificate { Height = height, Round = 0, BlockHash = ByteString.CopyFrom(blockId.Span) };
        var bytes = ConsensusSignBytes.ForVote(chain.Config.ChainId, VoteType.Precommit, height, 0, blockId);
        for (var i = 0; i < signers; i++)
        {
            certificate.Signatures.Add(new CommitSignature { ValidatorIndex = (uint)i, Signature = ByteString.CopyFrom(SignatureSuites.Sign(chain.ValidatorKeys[i].Private, bytes)) });
        }
        return certificate;
    }

    private static IReadOnlyList<KeyValuePair<string, byte[]?>> GenesisEntries(ChainFixture chain) =>
        ((InMemoryState)chain.Ledger.Values).Entries.Select(e => new KeyValuePair<string, byte[]?>(e.Key, e.Value)).ToArray();
}
