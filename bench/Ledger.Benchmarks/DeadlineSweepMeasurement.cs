using System.Diagnostics;
using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Benchmarks;

/// <summary>
/// A block whose time passes <c>--deadlines</c> verification deadlines at once (docs/PROTOCOL.md, "Verification
/// deadlines"): a ledger of that many certificates, each with one unanswered request, then one empty block past
/// them all, timed with its state-tree update and root, beside an empty block that passes none. <c>--runs</c>
/// fresh ledgers; medians and extremes, wall and process CPU time.
/// <c>dotnet run -c Release --project bench/Ledger.Benchmarks -- deadline-sweep --deadlines 10000 --runs 5</c>
/// </summary>
public static class DeadlineSweepMeasurement
{
    private const string ChainId = "bench";
    private const long DayMs = 86_400_000;
    private const long GenesisMs = 1_767_225_600_000;
    private const long DeadlineLengthMs = 30 * DayMs;

    public static void Run(string[] args)
    {
        var deadlines = Option(args, "--deadlines", 10_000);
        var runs = Option(args, "--runs", 5);
        var sweepMs = new List<double>();
        var sweepCpuMs = new List<double>();
        var emptyMs = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var (ledger, requestedAtMs) = Ledger(deadlines);
            var empty = Time(() => ledger.Apply(new BlockContext(ChainId, 4, requestedAtMs + 1_000), []));
            empty.Outcome.Automatic.Should(0);
            var sweep = Time(() => ledger.Apply(new BlockContext(ChainId, 5, requestedAtMs + DeadlineLengthMs + 1), []));
            sweep.Outcome.Automatic.Should(deadlines);
            emptyMs.Add(empty.WallMs);
            sweepMs.Add(sweep.WallMs);
            sweepCpuMs.Add(sweep.CpuMs);
            Console.WriteLine($"run {run + 1}: {deadlines:N0} deadlines swept in {sweep.WallMs:F1} ms ({sweep.CpuMs:F1} ms CPU, {sweep.Outcome.Changes.Count:N0} keys changed); an empty block {empty.WallMs:F2} ms");
        }
        Console.WriteLine($"sweep of {deadlines:N0}: median {Median(sweepMs):F1} ms (min {sweepMs.Min():F1}, max {sweepMs.Max():F1}), CPU median {Median(sweepCpuMs):F1} ms; empty block median {Median(emptyMs):F2} ms");
    }

    /// <summary>Height 1 issues the certificates, height 2 asks to verify each, height 3 is empty; returns the time of the requests.</summary>
    private static (InMemoryLedger Ledger, long RequestedAtMs) Ledger(int count)
    {
        var config = new NetworkConfig
        {
            ChainId = ChainId,
            GenesisTimeMs = GenesisMs,
            RetroactiveWindowMs = 365 * DayMs,
            Limits = new Limits { TxBytesMax = 65_536, StringCharsMax = 1_024, GoodsLinesMax = 200, ListItemsMax = 64 },
            Units = { "KGM" },
            Forms = { new FormRule { FormType = "CN-GENERAL" } },
            Validators = { new Validator { OrganisationId = "cn-ccpit", Key = Key("v"), Power = 1 } },
            VerificationDeadlineMs = DeadlineLengthMs,
        };
        var chamber = new Organisation { Id = "cn-ccpit", Name = "CCPIT", Country = "CN", Roles = { Role.Chamber, Role.Validator }, Keys = { Key("cn-ccpit") } };
        var customs = new Organisation { Id = "kz-customs", Name = "KZ customs", Country = "KZ", Roles = { Role.Customs }, Keys = { Key("kz-customs") } };
        var ledger = new InMemoryLedger(GenesisState.Entries(config, [chamber, customs]));
        var issuedAtMs = GenesisMs + (29 * DayMs);
        var requestedAtMs = GenesisMs + (31 * DayMs);
        var issues = Enumerable.Range(0, count).Select(i => Decode(chamber, (ulong)i, b => b.IssueCertificate = new IssueCertificate { Certificate = Certificate(i, issuedAtMs) })).ToArray();
        Ok(ledger.Apply(new BlockContext(ChainId, 1, GenesisMs + (30 * DayMs)), issues));
        var requests = Enumerable.Range(0, count).Select(i => Decode(customs, (ulong)i,
            b => b.RequestVerification = new RequestVerification { CertificateId = $"cn-ccpit/CN-2026-{i:D7}", Reasons = "origin doubtful" })).ToArray();
        Ok(ledger.Apply(new BlockContext(ChainId, 2, requestedAtMs), requests));
        Ok(ledger.Apply(new BlockContext(ChainId, 3, requestedAtMs + 500), []));
        return (ledger, requestedAtMs);
    }

    private static void Ok(BlockOutcome outcome)
    {
        if (outcome.Receipts.FirstOrDefault(r => r.Code != "OK") is { } refused)
        {
            throw new InvalidOperationException($"setup refused: {refused.Code} {refused.Message}");
        }
    }

    private static void Should(this IReadOnlyList<Receipt> automatic, int expected)
    {
        if (automatic.Count != expected)
        {
            throw new InvalidOperationException($"{automatic.Count} automatic receipts, expected {expected}");
        }
    }

    private static (BlockOutcome Outcome, double WallMs, double CpuMs) Time(Func<BlockOutcome> apply)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var outcome = apply();
        var wallMs = wall.Elapsed.TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return (outcome, wallMs, cpuMs);
    }

    private static Certificate Certificate(int i, long issuedAtMs)
    {
        var cert = new Certificate
        {
            Number = $"CN-2026-{i:D7}",
            FormType = "CN-GENERAL",
            IssuedAtMs = issuedAtMs,
            Exporter = new Party { Name = "Xinjiang Cotton Export Co.", Address = "12 Youhao Road, Urumqi", Country = "CN" },
            Consignee = new Party { Name = "Almaty Textile LLP", Address = "45 Abay Ave, Almaty", Country = "KZ" },
            ExportCountry = "CN",
            ImportCountry = "KZ",
            Transport = new TransportDetails { Mode = TransportMode.Rail, DepartureMs = issuedAtMs + DayMs, Route = "Urumqi - Alashankou - Dostyk - Almaty" },
            InvoiceNumber = $"INV-{i}",
            InvoiceDateMs = issuedAtMs - DayMs,
            ContentHash = ByteString.CopyFrom(Hash32.Sha256(BitConverter.GetBytes(i)).ToArray()),
        };
        cert.Goods.Add(new GoodsLine { ItemNo = 1, Description = "Cotton yarn", HsCode = "520512", GrossWeightGrams = 5_100_000, QuantityMilli = 5_000_000, Unit = "KGM" });
        return cert;
    }

    private static PublicKey Key(string seed) => new() { Suite = KeySuite.Ed25519, Key = ByteString.CopyFrom(Hash32.Sha256(System.Text.Encoding.UTF8.GetBytes(seed)).ToArray()) };

    private static DecodedTransaction Decode(Organisation signer, ulong nonce, Action<TxBody> kind)
    {
        var body = new TxBody { ChainId = ChainId, SignerOrg = signer.Id, SignerKey = signer.Keys[0], Nonce = nonce };
        kind(body);
        var bytes = body.ToByteArray();
        return new DecodedTransaction(SignedBytes.TransactionId(ChainId, bytes), body, new TxEnvelope { Body = ByteString.CopyFrom(bytes) });
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
