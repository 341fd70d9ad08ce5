using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>A small but realistic IssueCertificate body, for signing tests.</summary>
internal static class SampleTransactions
{
    public const string ChainId = "ledger-test-1";

    public static TxBody IssueCertificate(PublicKey signerKey) => new()
    {
        ChainId = ChainId,
        SignerOrg = "kz-chamber",
        SignerKey = signerKey,
        Nonce = 1,
        CreatedAtMs = 1_767_225_600_000,
        IssueCertificate = new IssueCertificate
        {
            Certificate = new Certificate
            {
                Number = "KZ-2026-000001",
                FormType = "CT-1",
                IssuedAtMs = 1_767_225_600_000,
                Exporter = new Party { Name = "Steppe Grain LLP", Address = "Almaty", Country = "KZ" },
                Consignee = new Party { Name = "Xinjiang Mills Co.", Address = "Urumqi", Country = "CN" },
                ExportCountry = "KZ",
                ImportCountry = "CN",
                Transport = new TransportDetails { Mode = TransportMode.Rail, Route = "Dostyk - Alashankou" },
                Goods =
                {
                    new GoodsLine
                    {
                        ItemNo = 1,
                        Packages = "bulk",
                        Description = "Wheat",
                        HsCode = "100199",
                        OriginCriterion = "A",
                        GrossWeightGrams = 65_000_000,
                        QuantityMilli = 65_000_000,
                        Unit = "KGM",
                    },
                },
                ContentHash = ByteString.CopyFrom(new byte[32]),
            },
        },
    };
}
