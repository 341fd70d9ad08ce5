using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Fuzz;

/// <summary>
/// Valid signed envelopes of every transaction kind with every signature suite: what the decoder fuzzer
/// mutates. Keys come from fixed secrets, so Ed25519 and secp256k1 entries are the same bytes every run;
/// the other suites sign with a fresh random nonce each time (their definition), so only their
/// signature bytes differ between runs.
/// </summary>
public static class DecoderCorpus
{
    private const long TimeMs = TestNetwork.GenesisTimeMs + (30 * TestNetwork.DayMs);

    public static IReadOnlyList<KeySuite> Suites { get; } =
        [KeySuite.Ed25519, KeySuite.EcdsaP256, KeySuite.EcdsaSecp256K1, KeySuite.Sm2Sm3, KeySuite.Gost2012256];

    /// <summary>Every kind a body can carry.</summary>
    public static IReadOnlyList<TxBody.KindOneofCase> Kinds { get; } =
        Enum.GetValues<TxBody.KindOneofCase>().Where(k => k != TxBody.KindOneofCase.None).ToArray();

    /// <summary>One entry per kind and suite, built once per test run (signing with SM2 and GOST is slow).</summary>
    public static IReadOnlyList<Entry> Entries { get; } = Build();

    private static IReadOnlyList<Entry> Build() =>
        Kinds.SelectMany(kind => Suites.Select(suite =>
        {
            var key = KeyOf(suite);
            var body = new TxBody
            {
                ChainId = TestNetwork.ChainId,
                SignerOrg = TestNetwork.CnChamber,
                SignerKey = key.Public,
                Nonce = (ulong)kind,
                CreatedAtMs = TimeMs,
            };
            Fill(body, kind);
            return new Entry(kind, suite, key, TransactionSigner.Sign(TestNetwork.ChainId, body, key).ToByteArray());
        })).ToArray();

    public static KeyPair KeyOf(KeySuite suite)
    {
        var secret = SHA256.HashData(Encoding.UTF8.GetBytes($"ledger-fuzz/{suite}"));
        // Below 2^254, so a scalar of every curve here (GOST's order is just above 2^254).
        secret[0] &= 0x3F;
        return SignatureSuites.For(suite).FromPrivateKey(secret);
    }

    private static void Fill(TxBody body, TxBody.KindOneofCase kind)
    {
        const string certId = TestNetwork.CnChamber + "/FZ-1";
        var certificate = Samples.CnCertificate("FZ-1", TimeMs);
        switch (kind)
        {
            case TxBody.KindOneofCase.ProposeMembershipChange:
                body.ProposeMembershipChange = new ProposeMembershipChange
                {
                    Change = new MembershipChange
                    {
                        AddOrganisation = new Organisation
                        {
                            Id = "kz-post-aktau",
                            Name = "Aktau port customs post",
                            Country = "KZ",
                            Roles = { Role.CustomsPost },
                            Checkpoints = { "KZ-AKTAU" },
                            Keys = { KeyOf(KeySuite.Ed25519).Public },
                        },
                    },
                    Reason = "new post",
                };
                break;
            case TxBody.KindOneofCase.ApproveMembershipChange:
                body.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = new string('a', 64) };
                break;
            case TxBody.KindOneofCase.IssueCertificate:
                body.IssueCertificate = new IssueCertificate { Certificate = certificate };
                break;
            case TxBody.KindOneofCase.ReplaceCertificate:
                body.ReplaceCertificate = new ReplaceCertificate { ReplacesCertificateId = certId, Certificate = certificate, Reason = "typo" };
                break;
            case TxBody.KindOneofCase.RevokeCertificate:
                body.RevokeCertificate = new RevokeCertificate { CertificateId = certId, Reason = "issued in error" };
                break;
            case TxBody.KindOneofCase.SuspendCertificate:
                body.SuspendCertificate = new SuspendCertificate { CertificateId = certId, Reason = "inquiry" };
                break;
            case TxBody.KindOneofCase.ReinstateCertificate:
                body.ReinstateCertificate = new ReinstateCertificate { CertificateId = certId };
                break;
            case TxBody.KindOneofCase.IssueDuplicate:
                body.IssueDuplicate = new IssueDuplicate { OriginalCertificateId = certId, Number = "FZ-1-D", ContentHash = ByteString.CopyFrom(new byte[32]), IssuedAtMs = TimeMs };
                break;
            case TxBody.KindOneofCase.RecordUse:
                body.RecordUse = new RecordUse { CertificateId = certId, DeclarationNumber = "D-1", Lines = { new UseLine { ItemNo = 1, QuantityMilli = 1_000 } } };
                break;
            case TxBody.KindOneofCase.RequestVerification:
                body.RequestVerification = new RequestVerification { CertificateId = certId, Reasons = "stamp differs" };
                break;
            case TxBody.KindOneofCase.AnswerVerification:
                body.AnswerVerification = new AnswerVerification { CertificateId = certId, RequestId = "R-1", Outcome = VerificationOutcome.Confirmed, Remarks = "genuine" };
                break;
            case TxBody.KindOneofCase.DeclareConsignment:
                body.DeclareConsignment = Samples.RailConsignment("CIM-FZ", certId);
                break;
            case TxBody.KindOneofCase.RecordCheckpointEvent:
                body.RecordCheckpointEvent = Samples.Event("CIM-FZ", TestNetwork.Alashankou, CheckpointEventKind.BorderExit, TimeMs, "SEAL-A", "SEAL-B");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "a new transaction kind: give the fuzz corpus a sample of it");
        }
    }

    /// <summary>A corpus envelope, with the key that signed it (to re-sign a mutated body).</summary>
    public sealed record Entry(TxBody.KindOneofCase Kind, KeySuite Suite, KeyPair Key, byte[] Envelope)
    {
        public byte[] Body => TxEnvelope.Parser.ParseFrom(Envelope).Body.ToByteArray();
    }
}
