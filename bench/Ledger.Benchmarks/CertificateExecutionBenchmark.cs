using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Benchmarks;

/// <summary>
/// Validation plus state transition of certificate transactions, signatures excluded (they are checked
/// once by the decoder, before a block): one block of <see cref="TransactionsPerBlock"/> issues,
/// applied to a ledger, including the state-tree update and root.
/// </summary>
[MemoryDiagnoser]
public class CertificateExecutionBenchmark
{
    private const string ChainId = "bench";
    private const long GenesisMs = 1_767_225_600_000;
    private DecodedTransaction[] _transactions = [];
    private IReadOnlyList<KeyValuePair<string, byte[]?>> _genesis = [];

    [Params(1_000)]
    public int TransactionsPerBlock { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new NetworkConfig
        {
            ChainId = ChainId,
            GenesisTimeMs = GenesisMs,
            RetroactiveWindowMs = 365L * 86_400_000,
            Limits = new Limits { TxBytesMax = 65_536, StringCharsMax = 1_024, GoodsLinesMax = 200, ListItemsMax = 64 },
            Units = { "KGM" },
            Forms = { new FormRule { FormType = "CN-GENERAL" } },
            Validators = { new Validator { OrganisationId = "cn-ccpit", Key = Key("v"), Power = 1 } },
        };
        var org = new Organisation { Id = "cn-ccpit", Name = "CCPIT", Country = "CN", Roles = { Role.Chamber, Role.Validator }, Keys = { Key("cn-ccpit") } };
        _genesis = GenesisState.Entries(config, [org]);
        _transactions = Enumerable.Range(0, TransactionsPerBlock).Select(i => Issue(i, org.Keys[0])).ToArray();
    }

    [Benchmark]
    public Hash32 ApplyBlockOfIssues()
    {
        var ledger = new InMemoryLedger(_genesis);
        return ledger.Apply(new BlockContext(ChainId, 1, GenesisMs + (30L * 86_400_000)), _transactions).StateRoot;
    }

    private static PublicKey Key(string seed) => new() { Suite = KeySuite.Ed25519, Key = ByteString.CopyFrom(Hash32.Sha256(System.Text.Encoding.UTF8.GetBytes(seed)).ToArray()) };

    private static DecodedTransaction Issue(int i, PublicKey key)
    {
        var now = GenesisMs + (29L * 86_400_000);
        var cert = new Certificate
        {
            Number = $"CN-2026-{i:D7}",
            FormType = "CN-GENERAL",
            IssuedAtMs = now,
            Exporter = new Party { Name = "Xinjiang Cotton Export Co.", Address = "12 Youhao Road, Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Spinning Mill", Address = "Aksu", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile LLP", Address = "45 Abay Ave, Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = now + 86_400_000, Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-5012345" } },
            InvoiceNumber = $"INV-{i}",
            InvoiceDateMs = now - 86_400_000,
            ExporterDeclaration = "The undersigned declares that the goods were produced in China.",
            Certification = "It is hereby certified that the declaration by the exporter is correct.",
            ContentHash = ByteString.CopyFrom(Hash32.Sha256(BitConverter.GetBytes(i)).ToArray()),
        };
        for (uint line = 1; line <= 4; line++)
        {
            cert.Goods.Add(new GoodsLine { ItemNo = line, Marks = $"XC-{line}", Packages = "50 bales", Description = "Cotton yarn, combed, 85% or more cotton", HsCode = "520512", GrossWeightGrams = 5_100_000, QuantityMilli = 5_000_000, Unit = "KGM" });
        }
        var body = new TxBody { ChainId = ChainId, SignerOrg = "cn-ccpit", SignerKey = key, Nonce = (ulong)i, IssueCertificate = new IssueCertificate { Certificate = cert } };
        var bytes = body.ToByteArray();
        return new DecodedTransaction(SignedBytes.TransactionId(ChainId, bytes), body, new TxEnvelope { Body = ByteString.CopyFrom(bytes) });
    }
}
