using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Wire;

namespace Ledger.Benchmarks;

/// <summary>The stateless side of a certificate transaction: the whole decode (signature included) and the limit walk alone.</summary>
[MemoryDiagnoser]
public class DecodeBenchmark
{
    private static readonly Limits Limits = new() { TxBytesMax = 65_536, StringCharsMax = 1_024, GoodsLinesMax = 200, ListItemsMax = 64 };
    private byte[] _envelope = [];
    private TxBody _body = new();

    [GlobalSetup]
    public void Setup()
    {
        var key = SignatureSuites.Generate(KeySuite.Ed25519);
        var cert = new Certificate { Number = "N-1", FormType = "CN-GENERAL", ExportCountry = "CN", ImportCountry = "KZ", ExporterDeclaration = new string('d', 200) };
        for (uint i = 1; i <= 4; i++)
        {
            cert.Goods.Add(new GoodsLine { ItemNo = i, Description = "Cotton yarn, combed, 85% or more cotton", HsCode = "520523", QuantityMilli = 1, GrossWeightGrams = 1, Unit = "KGM" });
        }
        _body = new TxBody { ChainId = "bench", SignerOrg = "cn-ccpit", SignerKey = key.Public, IssueCertificate = new IssueCertificate { Certificate = cert } };
        _envelope = TransactionSigner.Sign("bench", _body, key).ToByteArray();
    }

    [Benchmark]
    public DecodeResult Decode() => TransactionDecoder.Decode(_envelope, "bench", Limits);

    [Benchmark]
    public object? LimitWalk() => MessageLimits.Check(_body, Limits);
}
