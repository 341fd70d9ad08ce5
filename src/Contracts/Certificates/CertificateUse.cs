using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>Import customs records use of a certificate against a declaration, in parts, by goods line.</summary>
public static class CertificateUse
{
    public static Refusal? Record(TxContext ctx, RecordUse tx)
    {
        var (cert, unknown) = CertificateLookup.Find(ctx.State, tx.CertificateId);
        if (cert is null)
        {
            return unknown;
        }
        if (!string.Equals(ctx.SignerCountry, cert.Certificate.ImportCountry, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.ImportCountryMismatch,
                $"'{ctx.SignerId}' is customs of {ctx.SignerCountry}; certificate {cert.Id} is for import into {cert.Certificate.ImportCountry}");
        }
        if (cert.Status != CertificateStatus.Issued)
        {
            return CertificateLifecycle.NotActive(cert, "used");
        }
        if (tx.DeclarationNumber.Length == 0 || tx.Lines.Count == 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "declaration_number and at least one line are required to record use");
        }
        var holder = CertificateBalance.Holder(ctx.State, cert);
        if (!ReferenceEquals(holder, cert) && holder.Status != CertificateStatus.Issued)
        {
            // A duplicate lives on its original's balance: an original no longer active takes it down too.
            return new Refusal(RuleCatalog.CertNotActive,
                $"certificate {cert.Id} is a duplicate of {holder.Id}, which is {CertificateStatusNames.Format(holder.Status)}; it cannot be used");
        }
        var goods = holder.Certificate.Goods;
        var remaining = holder.RemainingMilli.ToArray();
        foreach (var line in tx.Lines)
        {
            var index = IndexOf(goods, line.ItemNo);
            if (index < 0)
            {
                return new Refusal(RuleCatalog.GoodsLineUnknown, $"certificate {cert.Id} has no goods line with item_no {line.ItemNo}");
            }
            if (line.QuantityMilli <= 0)
            {
                return new Refusal(RuleCatalog.QuantityInvalid, $"line {line.ItemNo}: quantity_milli {line.QuantityMilli} must be positive");
            }
            if (line.QuantityMilli > remaining[index])
            {
                return new Refusal(RuleCatalog.UseExceedsBalance,
                    $"line {line.ItemNo}: use of {line.QuantityMilli} exceeds the remaining {remaining[index]} (thousandths of {goods[index].Unit}) of certificate {cert.Id}");
            }
            remaining[index] -= line.QuantityMilli;
        }

        holder.RemainingMilli.Clear();
        holder.RemainingMilli.AddRange(remaining);
        var use = new UseRecord { DeclarationNumber = tx.DeclarationNumber, RecordedBy = ctx.SignerId, RecordedAtMs = ctx.Block.TimeMs };
        use.Lines.AddRange(tx.Lines);
        cert.Uses.Add(use);
        if (!ReferenceEquals(holder, cert))
        {
            ctx.State.Put(cert);
        }
        MarkFullyUsedWhenEmpty(ctx, holder, cert);
        ctx.State.Put(holder);
        return null;
    }

    private static void MarkFullyUsedWhenEmpty(TxContext ctx, CertificateRecord holder, CertificateRecord used)
    {
        if (holder.RemainingMilli.Any(q => q > 0))
        {
            return;
        }
        holder.Status = CertificateStatus.FullyUsed;
        foreach (var duplicateId in holder.Duplicates)
        {
            var duplicate = duplicateId == used.Id ? used : ctx.State.Certificate(duplicateId)!;
            if (duplicate.Status == CertificateStatus.Issued)
            {
                duplicate.Status = CertificateStatus.FullyUsed;
                ctx.State.Put(duplicate);
            }
        }
    }

    private static int IndexOf(Google.Protobuf.Collections.RepeatedField<GoodsLine> goods, uint itemNo)
    {
        for (var i = 0; i < goods.Count; i++)
        {
            if (goods[i].ItemNo == itemNo)
            {
                return i;
            }
        }
        return -1;
    }
}
