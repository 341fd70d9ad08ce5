using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Node.Chain;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.Chain;

/// <summary>A corridor network in memory with real member keys, for tests of block building and checking.</summary>
public sealed class ChainFixture
{
    public const string ChainId = "chain-test";
    private ulong _nonce;

    public ChainFixture()
    {
        var (document, keys, validatorKeys) = CorridorGenesis.Create(ChainId, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 4);
        MemberKeys = keys;
        ValidatorKeys = validatorKeys;
        var (config, organisations) = GenesisLoader.Load(document);
        Config = config;
        Ledger = new InMemoryLedger(GenesisState.Entries(config, organisations));
    }

    public IReadOnlyDictionary<string, KeyPair> MemberKeys { get; }

    public IReadOnlyList<KeyPair> ValidatorKeys { get; }

    public NetworkConfig Config { get; }

    public InMemoryLedger Ledger { get; }

    public ChainView View(ulong height = 0, Hash32? headHash = null, long headTimeMs = 0, CommitCertificate? headCommit = null) =>
        new(Config, height, headHash ?? Hash32.Zero, headTimeMs == 0 ? Config.GenesisTimeMs : headTimeMs, Ledger.StateRoot, headCommit, Ledger.Values, Ledger.TreeNodes);

    public DecodedTransaction Suspend(string certificateId)
    {
        var pair = MemberKeys[CorridorGenesis.CnChamber];
        var body = new TxBody
        {
            ChainId = ChainId,
            SignerOrg = CorridorGenesis.CnChamber,
            SignerKey = pair.Public,
            Nonce = ++_nonce,
            SuspendCertificate = new SuspendCertificate { CertificateId = certificateId, Reason = "inquiry" },
        };
        return TransactionDecoder.Decode(TransactionSigner.Sign(ChainId, body, pair), ChainId, Config.Limits).Transaction!;
    }
}
