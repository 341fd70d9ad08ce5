using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>Signed transactions of cn-ccpit (the Chinese chamber) for the process tests, timed from the wall clock the nodes' blocks use.</summary>
public static class CertificateTransactions
{
    private const long DayMs = 86_400_000;

    public static string IdOf(string number) => CertificateIds.Of(CorridorGenesis.CnChamber, number);

    public static TxEnvelope Issue(KeyPair chamber, string number, ulong nonce) =>
        Sign(chamber, nonce, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(number) });

    public static TxEnvelope Revoke(KeyPair chamber, string certificateId, ulong nonce) =>
        Sign(chamber, nonce, b => b.RevokeCertificate = new RevokeCertificate { CertificateId = certificateId, Reason = "issued in error" });

    public static TxEnvelope Sign(KeyPair chamber, ulong nonce, Action<TxBody> kind, string chainId = ProcessNetwork.ChainId)
    {
        var body = new TxBody
        {
            ChainId = chainId,
            SignerOrg = CorridorGenesis.CnChamber,
            SignerKey = chamber.Public,
            Nonce = nonce,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        kind(body);
        return TransactionSigner.Sign(chainId, body, chamber);
    }

    public static Hash32 Id(TxEnvelope envelope) => TransactionSigner.IdOf(ProcessNetwork.ChainId, envelope);

    /// <summary>Issued a day before now (so before any block that carries it), invoiced two days before, departing tomorrow.</summary>
    public static Certificate Certificate(string number)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new Certificate
        {
            Number = number,
            FormType = "CN-GENERAL",
            IssuedAtMs = now - DayMs,
            Exporter = new Party { Name = "Xinjiang Tianshan Cotton Export Co., Ltd.", Address = "88 Youhao North Road, Urumqi", Country = "CN" },
            Producer = new Party { Name = "Aksu Huafu Spinning Mill", Address = "Aksu, Xinjiang", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile Trading LLP", Address = "120 Raiymbek Ave, Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = now + DayMs, Route = "Urumqi - Alashankou - Dostyk - Almaty", VehicleIds = { "WAGON-62154873" } },
            InvoiceNumber = "INV-" + number,
            InvoiceDateMs = now - (2 * DayMs),
            ExporterDeclaration = "The undersigned declares that the goods were produced in China and comply with the rules of origin.",
            Certification = "Certified by CCPIT Xinjiang Sub-Council",
            ContentHash = ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes(number))),
            Goods =
            {
                new GoodsLine
                {
                    ItemNo = 1, Marks = "TS/ALA/01-500", Packages = "500 bales", Description = "Cotton yarn, combed, 85% or more cotton, single",
                    HsCode = "520523", GrossWeightGrams = 25_600_000, QuantityMilli = 25_000_000, Unit = "KGM",
                },
            },
        };
    }
}
