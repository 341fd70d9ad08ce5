using System.Security.Cryptography;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Bench;

/// <summary>
/// Realistic certificate transactions, signed before the clock starts: about 1 KiB each, four goods
/// lines, issued by several chambers in turn.
/// </summary>
public static class CertificateLoad
{
    public static IReadOnlyList<TxEnvelope> Sign(string chainId, IReadOnlyList<(string Organisation, KeyPair Key)> chambers, int count, long nowMs) =>
        Sign(chainId, chambers, 0, count, nowMs);

    /// <summary>Transactions number <paramref name="first"/> to first + count - 1 (certificate B-{number}), signed on all cores.</summary>
    public static TxEnvelope[] Sign(string chainId, IReadOnlyList<(string Organisation, KeyPair Key)> chambers, int first, int count, long nowMs)
    {
        var envelopes = new TxEnvelope[count];
        Parallel.For(0, count, k =>
        {
            var i = first + k;
            var (organisation, key) = chambers[i % chambers.Count];
            var body = new TxBody
            {
                ChainId = chainId,
                SignerOrg = organisation,
                SignerKey = key.Public,
                Nonce = (ulong)i,
                CreatedAtMs = nowMs,
                IssueCertificate = new IssueCertificate { Certificate = Certificate($"B-{i:D8}", nowMs) },
            };
            envelopes[k] = TransactionSigner.Sign(chainId, body, key);
        });
        return envelopes;
    }

    /// <summary>A realistic certificate of form CN-GENERAL, issued a day before <paramref name="nowMs"/>, departing a day after.</summary>
    internal static Certificate Certificate(string number, long nowMs)
    {
        var cert = new Certificate
        {
            Number = number,
            FormType = "CN-GENERAL",
            IssuedAtMs = nowMs - 86_400_000,
            Exporter = new Party { Name = "Xinjiang Tianshan Cotton Export Co., Ltd.", Address = "88 Youhao North Road, Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Huafu Spinning Mill", Address = "Aksu, Xinjiang", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile Trading LLP", Address = "120 Raiymbek Ave, Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = nowMs + 86_400_000, Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-62154873" } },
            InvoiceNumber = "INV-" + number,
            InvoiceDateMs = nowMs - (2 * 86_400_000),
            ExporterDeclaration = "The undersigned declares that the goods were produced in China and comply with the rules of origin.",
            Certification = "Certified by CCPIT Xinjiang Sub-Council",
            ContentHash = ByteString.CopyFrom(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(number))),
        };
        for (uint line = 1; line <= 4; line++)
        {
            cert.Goods.Add(new GoodsLine
            {
                ItemNo = line,
                Marks = $"TS/ALA/{line:D2}",
                Packages = "120 bales",
                Description = "Cotton yarn, combed, 85% or more cotton, single",
                HsCode = "520523",
                GrossWeightGrams = 6_100_000,
                QuantityMilli = 6_000_000,
                Unit = "KGM",
            });
        }
        return cert;
    }
}
