using CsCheck;
using Ledger.Contracts.Rules;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Properties;

/// <summary>
/// Whatever sequence of uses import customs records, the balance holds: nothing is used beyond what was
/// certified, refused uses change nothing, and the certificate is FullyUsed exactly when nothing remains.
/// </summary>
public sealed class CertificateBalancePropertyTests
{
    private const string CertId = TestNetwork.CnChamber + "/P-BAL";

    [Fact]
    public void Recorded_uses_never_exceed_the_certified_quantities()
    {
        var use = Gen.Select(Gen.UInt[1, 3], Gen.Long[-1_000_000, 12_000_000]);
        use.Array[1, 12].Sample(uses =>
        {
            var ledger = new TestLedger();
            var cert = Samples.CnCertificate("P-BAL", ledger.TimeMs);
            ledger.Submit(TestNetwork.CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = cert }).Code.Should().Be(RuleCatalog.Ok);
            var certified = cert.Goods.ToDictionary(g => g.ItemNo, g => g.QuantityMilli);
            var used = certified.Keys.ToDictionary(k => k, _ => 0L);
            foreach (var (itemNo, quantity) in uses)
            {
                var receipt = ledger.Submit(TestNetwork.KzCustoms, b => b.RecordUse = new RecordUse
                {
                    CertificateId = CertId,
                    DeclarationNumber = $"D-{used.Values.Sum()}",
                    Lines = { new UseLine { ItemNo = itemNo, QuantityMilli = quantity } },
                });
                var fits = certified.ContainsKey(itemNo) && quantity > 0 && used[itemNo] + quantity <= certified[itemNo]
                    && ledger.State.Certificate(CertId)!.Status == CertificateStatus.Issued;
                receipt.Code.Should().Be(fits ? RuleCatalog.Ok : receipt.Code);
                if (fits)
                {
                    used[itemNo] += quantity;
                }
                else
                {
                    receipt.Code.Should().NotBe(RuleCatalog.Ok);
                }
            }
            var record = ledger.State.Certificate(CertId)!;
            for (var i = 0; i < record.Certificate.Goods.Count; i++)
            {
                var line = record.Certificate.Goods[i];
                record.RemainingMilli[i].Should().Be(line.QuantityMilli - used[line.ItemNo]);
            }
            (record.Status == CertificateStatus.FullyUsed).Should().Be(record.RemainingMilli.All(r => r == 0));
        }, iter: 150);
    }
}
