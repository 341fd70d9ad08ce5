using CsCheck;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Properties;

/// <summary>
/// Properties of the contracts over generated sequences of certificate actions by any member: a refused
/// transaction writes nothing but its committed mark, and issues that do not touch one another give
/// the same records in whatever order a block carries them.
/// </summary>
public sealed class ContractPropertyTests
{
    private static readonly string[] Signers = [CnChamber, KzChamber, CnCustoms, KzCustoms, PostDostyk, Auditor];
    private static readonly string[] Numbers = ["P-A", "P-B", "P-C"];

    /// <summary>One action: who signs it, what kind, on which certificate number, with which quantity.</summary>
    private static readonly Gen<(string Signer, int Kind, string Number, string Other, long Quantity)> Action =
        Gen.Select(Gen.OneOfConst(Signers), Gen.Int[0, 8], Gen.OneOfConst(Numbers), Gen.OneOfConst(Numbers), Gen.Long[-5_000_000, 30_000_000]);

    [Fact]
    public void A_refused_transaction_writes_nothing_but_its_committed_mark()
    {
        var (accepted, refused) = (0, 0);
        Action.Array[1, 14].Sample(actions =>
        {
            var ledger = new TestLedger();
            foreach (var (signer, kind, number, other, quantity) in actions)
            {
                var before = Snapshot(ledger);
                var tx = ledger.Decode(TestLedger.Body(signer, Kind(ledger, kind, number, other, quantity)));
                var receipt = ledger.Execute([tx])[0];
                var changed = Changed(before, Snapshot(ledger));
                if (receipt.Code == RuleCatalog.Ok)
                {
                    Interlocked.Increment(ref accepted);
                    changed.Should().Contain(StateKeys.Transaction(tx.Id));
                }
                else
                {
                    Interlocked.Increment(ref refused);
                    RuleCatalog.RefusalCodes.Should().Contain(receipt.Code);
                    changed.Should().Equal([StateKeys.Transaction(tx.Id)], $"{receipt.Code} refused {tx.Body.KindCase} by {signer}: only its mark is written");
                }
            }
        }, iter: 120);
        accepted.Should().BePositive("the generated actions include ones the contracts accept");
        refused.Should().BePositive("the generated actions include ones the contracts refuse");
    }

    [Fact]
    public void Independent_issues_give_the_same_records_in_any_order_within_a_block()
    {
        var issues = Gen.Select(Gen.Int[1, 5], Gen.Int[0, 1_000]).Select((count, salt) =>
            Enumerable.Range(0, count).Select(i => (Signer: i % 2 == 0 ? CnChamber : KzChamber, Number: $"P-ORDER-{salt}-{i}")).ToArray());
        Gen.Select(issues, Gen.Int).Sample((certificates, shuffleSeed) =>
        {
            var inOrder = new TestLedger();
            var shuffled = new TestLedger();
            var bodies = certificates.Select(c => TestLedger.Body(c.Signer, b => b.IssueCertificate = new IssueCertificate
            {
                Certificate = c.Signer == CnChamber ? Samples.CnCertificate(c.Number, inOrder.TimeMs) : KzCertificate(c.Number, inOrder.TimeMs),
            })).ToArray();
            var transactions = bodies.Select(inOrder.Decode).ToArray();
            var permutation = transactions.ToArray();
            new Random(shuffleSeed).Shuffle(permutation);

            inOrder.Execute(transactions).Should().OnlyContain(r => r.Code == RuleCatalog.Ok);
            shuffled.Execute(permutation).Should().OnlyContain(r => r.Code == RuleCatalog.Ok);

            // Only the committed marks differ: they record each transaction's position in the block.
            Records(inOrder).Should().Equal(Records(shuffled));
        }, iter: 60);
    }

    private static Action<TxBody> Kind(TestLedger ledger, int kind, string number, string other, long quantity)
    {
        var id = CnChamber + "/" + number;
        var otherId = CnChamber + "/" + other;
        return kind switch
        {
            0 => b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(number, ledger.TimeMs) },
            1 => CertificateSteps.Use(id, $"D-{quantity}", 1, quantity),
            2 => CertificateSteps.Suspend(id),
            3 => CertificateSteps.Reinstate(id),
            4 => CertificateSteps.Revoke(id),
            5 => CertificateSteps.Replace(ledger, id, other + "-R"),
            6 => CertificateSteps.Duplicate(ledger, id, other + "-D"),
            7 => b => b.RequestVerification = new RequestVerification { CertificateId = otherId, Reasons = "stamp" },
            _ => b => b.AnswerVerification = new AnswerVerification { CertificateId = id, RequestId = "R-1", Outcome = VerificationOutcome.Confirmed },
        };
    }

    private static Certificate KzCertificate(string number, long nowMs)
    {
        var certificate = Samples.CnCertificate(number, nowMs);
        certificate.ExportCountry = "KZ";
        certificate.ImportCountry = "CN";
        certificate.Exporter.Country = "KZ";
        certificate.Producer.Country = "KZ";
        certificate.Consignee.Country = "CN";
        return certificate;
    }

    private static Dictionary<string, byte[]> Snapshot(TestLedger ledger) =>
        ((InMemoryState)ledger.Reader).Entries.ToDictionary(e => e.Key, e => e.Value);

    private static string[] Changed(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after) =>
        after.Keys.Union(before.Keys)
            .Where(k => !before.TryGetValue(k, out var old) || !after.TryGetValue(k, out var now) || !old.AsSpan().SequenceEqual(now))
            .Order(StringComparer.Ordinal).ToArray();

    private static string[] Records(TestLedger ledger) =>
        ((InMemoryState)ledger.Reader).Entries.Where(e => !e.Key.StartsWith("tx/", StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + Convert.ToHexStringLower(e.Value)).ToArray();
}
