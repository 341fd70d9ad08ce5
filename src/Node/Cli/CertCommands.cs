using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Client;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>`ledger cert ...`: a chamber's writes (issue, replace, revoke, suspend, reinstate), import customs' use, and verified reads.</summary>
public static class CertCommands
{
    public static Command Cert()
    {
        var cert = new Command("cert", "Certificates of origin: issue, replace, revoke, suspend, reinstate, use, ask and answer verification; show and verify");
        cert.Subcommands.Add(Issue());
        cert.Subcommands.Add(Replace());
        cert.Subcommands.Add(Revoke());
        cert.Subcommands.Add(Suspend());
        cert.Subcommands.Add(Reinstate());
        cert.Subcommands.Add(Use());
        cert.Subcommands.Add(VerificationCommands.Ask());
        cert.Subcommands.Add(VerificationCommands.Answer());
        cert.Subcommands.Add(Show());
        cert.Subcommands.Add(Verify());
        return cert;
    }

    private static Command Issue()
    {
        var file = FileOption("--file", "CERT.json: the certificate in the proto3 JSON mapping of ledger.v1.Certificate", required: true);
        var document = FileOption("--document", "The certificate document (PDF, XML); sets contentHash to its SHA-256", required: false);
        var command = new Command("issue", "Issue a certificate (chamber of commerce); prints its id, height and transaction id") { file, document };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var certificate = await CertificateAsync(parse.GetValue(file)!, parse.GetValue(document), ct);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var chamber = new ChamberClient(session.Node, session.Signer());
            var receipt = await chamber.IssueAsync(certificate, ct);
            return ReceiptView.Print(output, "issued", "certificateId", chamber.CertificateIdOf(certificate.Number), receipt);
        });
        return command;
    }

    private static Command Replace()
    {
        var replaces = new Option<string>("--replaces") { HelpName = "ID", Description = "Id of the certificate replaced (\"<issuer>/<number>\"); it becomes Replaced", Required = true };
        var file = FileOption("--file", "CERT.json: the new certificate (proto3 JSON of ledger.v1.Certificate), with a new number", required: true);
        var document = FileOption("--document", "The new certificate's document; sets contentHash to its SHA-256", required: false);
        var reason = ReasonOption(required: true);
        var command = new Command("replace", "Issue a certificate in place of an earlier one of the same chamber") { replaces, file, document, reason };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var certificate = await CertificateAsync(parse.GetValue(file)!, parse.GetValue(document), ct);
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var chamber = new ChamberClient(session.Node, session.Signer());
            var receipt = await chamber.ReplaceAsync(parse.GetValue(replaces)!, certificate, parse.GetValue(reason)!, ct);
            return ReceiptView.Print(output, $"issued in place of {parse.GetValue(replaces)}", "certificateId", chamber.CertificateIdOf(certificate.Number), receipt);
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = IdArgument();
        var reason = ReasonOption(required: true);
        var command = new Command("revoke", "Revoke a certificate issued in error or fraudulently (refused once it was used)") { id, reason };
        return StatusChange(command, id, "revoked", (chamber, certificateId, parse, ct) => chamber.RevokeAsync(certificateId, parse.GetValue(reason)!, ct));
    }

    private static Command Suspend()
    {
        var id = IdArgument();
        var reason = ReasonOption(required: true);
        var command = new Command("suspend", "Suspend a certificate pending an inquiry") { id, reason };
        return StatusChange(command, id, "suspended", (chamber, certificateId, parse, ct) => chamber.SuspendAsync(certificateId, parse.GetValue(reason)!, ct));
    }

    private static Command Reinstate()
    {
        var id = IdArgument();
        var command = new Command("reinstate", "Lift a certificate's suspension") { id };
        return StatusChange(command, id, "reinstated", (chamber, certificateId, _, ct) => chamber.ReinstateAsync(certificateId, ct));
    }

    private static Command StatusChange(Command command, Argument<string> id, string done,
        Func<ChamberClient, string, ParseResult, CancellationToken, Task<CommittedReceipt>> change)
    {
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var chamber = new ChamberClient(session.Node, session.Signer());
            var receipt = await change(chamber, parse.GetValue(id)!, parse, ct);
            return ReceiptView.Print(output, done, "certificateId", parse.GetValue(id)!, receipt);
        });
        return command;
    }

    private static Command Use()
    {
        var id = IdArgument();
        var declaration = new Option<string>("--declaration") { HelpName = "NUMBER", Description = "The import declaration number", Required = true };
        var lines = new Option<string[]>("--line")
        {
            HelpName = "ITEM=QUANTITY",
            Description = "ITEM=QUANTITY used, in the goods line's unit (up to 3 decimals), e.g. --line 1=20000; repeat per line",
            Required = true,
        };
        var command = new Command("use", "Record use of a certificate against an import declaration (import customs)") { id, declaration, lines };
        var common = CommonOptions.ForWrites(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var useLines = parse.GetValue(lines)!.Select(ParseUseLine).ToArray();
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            var customs = new ImportCustomsClient(session.Node, session.Signer());
            var receipt = await customs.RecordUseAsync(parse.GetValue(id)!, parse.GetValue(declaration)!, useLines, ct);
            return ReceiptView.Print(output, $"use recorded against {parse.GetValue(declaration)}", "certificateId", parse.GetValue(id)!, receipt);
        });
        return command;
    }

    private static Command Show()
    {
        var id = IdArgument();
        var qr = new Option<FileInfo?>("--qr")
        {
            HelpName = "FILE",
            Description = "Also write the QR code of the certificate's verification link, SVG or PNG by the file's extension (needs --genesis and --page)",
        };
        var page = new Option<string?>("--page")
        {
            HelpName = "URL",
            Description = "The verification page the QR link opens, e.g. https://verify.ccpit.example/ (a node's VerificationPage listener)",
        };
        var command = new Command("show", "A certificate's full record; proven against a signed block when --genesis is given") { id, qr, page };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var certificateId = parse.GetValue(id)!;
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            CertificateRecord? record;
            ProvenHeader? provenAt = null;
            if (session.CanProve)
            {
                var answer = await session.Node.VerifyCertificateAsync(certificateId, null, requireProof: true, ct);
                if (answer.Found && answer.Record is null)
                {
                    // The node proved the public status only: it proves the full record to members alone.
                    throw new LedgerRefusedException("IDENTITY_REQUIRED", $"certificate {certificateId} exists; its full record is proven only to members");
                }
                record = answer.Record;
                provenAt = answer.ProvenAt;
            }
            else
            {
                record = await UnprovenRecordAsync(session, certificateId, ct);
            }
            if (output.Json)
            {
                output.WriteJson(new System.Text.Json.Nodes.JsonObject
                {
                    ["certificateId"] = certificateId,
                    ["found"] = record is not null,
                    ["trust"] = provenAt is null ? "unverified" : "proven",
                    ["provenAt"] = Texts.ProofJson(provenAt),
                    ["record"] = CliOutput.ProtoJson(record),
                });
            }
            else if (record is null)
            {
                output.Line($"[red]no certificate {Spectre.Console.Markup.Escape(certificateId)}[/]{(provenAt is null ? " (the node's word: not proven)" : ": its absence is proven")}");
            }
            else
            {
                CertificateView.Record(output, record);
            }
            output.Field("proof", provenAt is null ? "not proven: no genesis given" : Texts.Proof(provenAt), 2);
            if (record is not null && parse.GetValue(qr) is { } qrFile)
            {
                var link = await QrFiles.WriteAsync(qrFile, parse.GetValue(page), common.Read(parse).GenesisPath, certificateId, ct);
                output.Field("verification link", $"{link} (QR code in {qrFile.FullName})", 2);
            }
            return record is null ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var id = IdOrNumberArgument();
        id.Arity = ArgumentArity.ZeroOrOne;
        var document = FileOption("--document", "The document presented: its SHA-256 is compared with the recorded content hash", required: false);
        var bundle = new Option<FileInfo?>("--bundle")
        {
            HelpName = "FILE",
            Description = "Also save the certificate with its proof and the signed header to FILE, to be checked later with no network (needs --genesis)",
        };
        var offline = new Option<FileInfo?>("--offline")
        {
            HelpName = "FILE",
            Description = "Check a saved bundle instead of asking a node: against --genesis alone, with no network",
        };
        var command = new Command("verify",
            "What import customs asks: status, issuer, document match, route verdicts; with --genesis, checked against a block signed by the validators. " +
            "Exit 0 when found, active and the document (if given) matches; 1 otherwise")
        {
            id, document, bundle, offline,
        };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var hash = parse.GetValue(document) is { } file ? await InputFiles.Sha256Async(file, ct) : null;
            if (parse.GetValue(offline) is { } saved)
            {
                return CertificateView.Verification(output, await BundleFiles.VerifyAsync(saved, common.Read(parse), hash, ct), hash is not null);
            }
            var certificateId = parse.GetValue(id) ?? throw new CliInputException("give the certificate's id or number, or --offline FILE");
            using var session = await ClientSession.OpenAsync(common.Read(parse), output, ct);
            if (!certificateId.Contains('/', StringComparison.Ordinal))
            {
                // A number as printed on the paper, without its issuer: which issuers have one?
                var search = await session.Node.FindCertificatesAsync(certificateId, requireProof: session.CanProve, ct);
                if (search.CertificateIds.Count != 1)
                {
                    return CertificateView.Search(output, search);
                }
                certificateId = search.CertificateIds[0];
            }
            if (parse.GetValue(bundle) is { } target)
            {
                var (verification, path) = await BundleFiles.SaveAsync(session, common.Read(parse), certificateId, target, hash, ct);
                output.Note($"saved the certificate with its proof to {path}");
                return CertificateView.Verification(output, verification, hash is not null);
            }
            var answer = await session.Node.VerifyCertificateAsync(certificateId, hash, requireProof: session.CanProve, ct);
            return CertificateView.Verification(output, answer, hash is not null);
        });
        return command;
    }

    private static async Task<CertificateRecord?> UnprovenRecordAsync(ClientSession session, string certificateId, CancellationToken ct)
    {
        try
        {
            return await session.Connection.CallAsync("GetCertificate", async (client, options, _) =>
                await client.GetCertificateAsync(new GetCertificateRequest { CertificateId = certificateId }, options), ct);
        }
        catch (LedgerRefusedException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return null;
        }
    }

    private static async Task<Certificate> CertificateAsync(FileInfo file, FileInfo? document, CancellationToken ct)
    {
        var certificate = await InputFiles.ProtoJsonAsync<Certificate>(file, ct);
        if (document is not null)
        {
            certificate.ContentHash = ByteString.CopyFrom(await InputFiles.Sha256Async(document, ct));
        }
        else if (certificate.ContentHash.Length != 32)
        {
            throw new CliInputException(
                $"{file.FullName}: contentHash must be the base64 of the 32-byte SHA-256 of the certificate document (it has {certificate.ContentHash.Length} bytes); or give --document FILE");
        }
        return certificate;
    }

    private static UseLine ParseUseLine(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var item)
            || !decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quantity)
            || decimal.Round(quantity, 3) != quantity
            || quantity * 1000 > long.MaxValue)
        {
            throw new CliInputException($"--line '{text}' is not ITEM=QUANTITY, e.g. 1=20000 or 2=12.5 (at most 3 decimals)");
        }
        return new UseLine { ItemNo = item, QuantityMilli = (long)(quantity * 1000) };
    }

    internal static Argument<string> IdArgument() => new("ID") { Description = "The certificate id, \"<issuer>/<number>\", e.g. cn-ccpit/CCPIT-XJ-2025-00417" };

    private static Argument<string> IdOrNumberArgument() => new("ID")
    {
        Description = "The certificate id, \"<issuer>/<number>\", or the number alone as printed (e.g. CCPIT-XJ-2025-00417), looked up at every issuer",
    };

    private static Option<string> ReasonOption(bool required) => new("--reason") { HelpName = "TEXT", Description = "Why (recorded on the ledger)", Required = required };

    internal static Option<FileInfo?> FileOption(string name, string description, bool required) =>
        new(name) { Description = description, Required = required, HelpName = "FILE" };
}
