using Google.Protobuf;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Certificates;

/// <summary>Creating certificates: issue, replace, and duplicate after loss.</summary>
public static class CertificateContract
{
    public static Refusal? Issue(TxContext ctx, IssueCertificate tx)
    {
        if (tx.Certificate is null)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "issue_certificate.certificate is required");
        }
        var refusal = CheckNew(ctx, tx.Certificate);
        if (refusal is not null)
        {
            return refusal;
        }
        ctx.State.Put(NewRecord(ctx, tx.Certificate));
        return null;
    }

    public static Refusal? Replace(TxContext ctx, ReplaceCertificate tx)
    {
        if (tx.Certificate is null)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "replace_certificate.certificate is required");
        }
        var (target, unknown) = CertificateLookup.Find(ctx.State, tx.ReplacesCertificateId, "replaces_certificate_id");
        if (target is null)
        {
            return unknown;
        }
        if (!string.Equals(target.Issuer, ctx.SignerId, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.ReplacementTargetInvalid,
                $"certificate {target.Id} was issued by '{target.Issuer}'; only its issuer may replace it, not '{ctx.SignerId}'");
        }
        if (target.Status != CertificateStatus.Issued)
        {
            return new Refusal(RuleCatalog.ReplacementTargetInvalid,
                $"certificate {target.Id} is {CertificateStatusNames.Format(target.Status)}; only an active certificate can be replaced");
        }
        if (CertificateBalance.HasUses(ctx.State, target))
        {
            return new Refusal(RuleCatalog.ReplacementTargetInvalid,
                $"certificate {target.Id} was already used against an import declaration and can no longer be replaced");
        }
        var refusal = CheckNew(ctx, tx.Certificate);
        if (refusal is not null)
        {
            return refusal;
        }
        var replacement = NewRecord(ctx, tx.Certificate);
        replacement.Replaces = target.Id;
        target.Status = CertificateStatus.Replaced;
        target.StatusReason = tx.Reason;
        target.ReplacedBy = replacement.Id;
        ctx.State.Put(target);
        ctx.State.Put(replacement);
        return null;
    }

    public static Refusal? IssueDuplicate(TxContext ctx, IssueDuplicate tx)
    {
        var (original, unknown) = CertificateLookup.Find(ctx.State, tx.OriginalCertificateId, "original_certificate_id");
        if (original is null)
        {
            return unknown;
        }
        if (!string.Equals(original.Issuer, ctx.SignerId, StringComparison.Ordinal))
        {
            return new Refusal(RuleCatalog.RevokerNotIssuer,
                $"certificate {original.Id} was issued by '{original.Issuer}'; only its issuer may issue a duplicate, not '{ctx.SignerId}'");
        }
        if (original.DuplicateOf.Length > 0 || original.Status != CertificateStatus.Issued || CertificateBalance.HasUses(ctx.State, original))
        {
            return new Refusal(RuleCatalog.DuplicateInvalid,
                $"certificate {original.Id} is {Describe(ctx, original)}; a duplicate needs an active, unused original");
        }
        if (tx.Number.Length == 0 || tx.ContentHash.Length != CertificateRules.ContentHashBytes || tx.IssuedAtMs <= 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing,
                "a duplicate needs number, issued_at_ms and the 32-byte content_hash of the duplicate document");
        }
        if (tx.IssuedAtMs > ctx.Block.TimeMs)
        {
            return new Refusal(RuleCatalog.TimeInFuture, $"issued_at_ms {tx.IssuedAtMs} is after the block time {ctx.Block.TimeMs}");
        }
        var id = CertificateIds.Of(ctx.SignerId, tx.Number);
        if (ctx.State.Certificate(id) is not null)
        {
            return new Refusal(RuleCatalog.CertNumberExists, $"'{ctx.SignerId}' already issued a certificate numbered '{tx.Number}'");
        }
        var content = original.Certificate.Clone();
        content.Number = tx.Number;
        content.IssuedAtMs = tx.IssuedAtMs;
        content.ContentHash = tx.ContentHash;
        var duplicate = new CertificateRecord
        {
            Id = id,
            Issuer = ctx.SignerId,
            Certificate = content,
            Status = CertificateStatus.Issued,
            DuplicateOf = original.Id,
            IssuedTxId = ByteString.CopyFrom(ctx.TxId.Span),
            IssuedHeight = ctx.Block.Height,
        };
        original.Duplicates.Add(id);
        ctx.State.Put(original);
        ctx.State.Put(duplicate);
        return null;
    }

    private static string Describe(TxContext ctx, CertificateRecord original) =>
        original.DuplicateOf.Length > 0 ? $"itself a duplicate of {original.DuplicateOf}"
        : original.Status != CertificateStatus.Issued ? CertificateStatusNames.Format(original.Status)
        : CertificateBalance.HasUses(ctx.State, original) ? "already used against an import declaration" : "active";

    private static Refusal? CheckNew(TxContext ctx, Certificate cert)
    {
        var refusal = CertificateRules.Check(cert, ctx.Signer, ctx.State.Config, ctx.Block.TimeMs);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ctx.State.Certificate(CertificateIds.Of(ctx.SignerId, cert.Number)) is not null)
        {
            return new Refusal(RuleCatalog.CertNumberExists, $"'{ctx.SignerId}' already issued a certificate numbered '{cert.Number}'");
        }
        return null;
    }

    private static CertificateRecord NewRecord(TxContext ctx, Certificate cert)
    {
        var record = new CertificateRecord
        {
            Id = CertificateIds.Of(ctx.SignerId, cert.Number),
            Issuer = ctx.SignerId,
            Certificate = cert,
            Status = CertificateStatus.Issued,
            IssuedTxId = ByteString.CopyFrom(ctx.TxId.Span),
            IssuedHeight = ctx.Block.Height,
        };
        record.RemainingMilli.AddRange(cert.Goods.Select(g => g.QuantityMilli));
        return record;
    }
}
