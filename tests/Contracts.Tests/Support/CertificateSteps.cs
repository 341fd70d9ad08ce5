using Google.Protobuf;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Support;

/// <summary>Certificate steps that tests take on the way to the rule they test.</summary>
public static class CertificateSteps
{
    /// <summary>Issues the sample China certificate with this number and returns its id.</summary>
    public static string Issue(TestLedger ledger, string number)
    {
        ledger.SubmitOk(CnChamber, b => b.IssueCertificate = new IssueCertificate { Certificate = Samples.CnCertificate(number, ledger.TimeMs) });
        return CnChamber + "/" + number;
    }

    public static Action<TxBody> Use(string certId, string declaration, uint itemNo, long quantityMilli) =>
        b => b.RecordUse = new RecordUse
        {
            CertificateId = certId,
            DeclarationNumber = declaration,
            Lines = { new UseLine { ItemNo = itemNo, QuantityMilli = quantityMilli } },
        };

    public static Action<TxBody> Duplicate(TestLedger ledger, string originalId, string number) =>
        b => b.IssueDuplicate = new IssueDuplicate
        {
            OriginalCertificateId = originalId,
            Number = number,
            IssuedAtMs = ledger.TimeMs - 1,
            ContentHash = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(number))),
        };

    public static Action<TxBody> Suspend(string certId) => b => b.SuspendCertificate = new SuspendCertificate { CertificateId = certId, Reason = "inquiry" };

    public static Action<TxBody> Revoke(string certId) => b => b.RevokeCertificate = new RevokeCertificate { CertificateId = certId, Reason = "issued in error" };

    public static Action<TxBody> Reinstate(string certId) => b => b.ReinstateCertificate = new ReinstateCertificate { CertificateId = certId };

    public static Action<TxBody> Replace(TestLedger ledger, string targetId, string number) =>
        b => b.ReplaceCertificate = new ReplaceCertificate
        {
            ReplacesCertificateId = targetId,
            Certificate = Samples.CnCertificate(number, ledger.TimeMs),
            Reason = "consignee address corrected",
        };
}
