using System.CommandLine;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ledger.Client;
using Ledger.Client.Audit;
using Ledger.Contracts.Genesis;
using Ledger.Wire;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>
/// `ledger audit`: replays the ledger from genesis (or a checkpoint) through the same contracts and checks
/// every certificate, signature, receipt and root; trusts only the genesis. Exit 1 on any discrepancy.
/// </summary>
public static class AuditCommand
{
    /// <summary>Blocks between two checkpoint saves: a crash costs at most this much replay.</summary>
    public const int CheckpointEveryBlocks = 1_000;

    public static Command Audit()
    {
        var from = new Option<ulong?>("--from")
        {
            HelpName = "HEIGHT",
            Description = "First block to replay: 1 (genesis) or the block after the checkpoint's; lower than the checkpoint's replays from genesis",
        };
        var to = new Option<ulong?>("--to") { HelpName = "HEIGHT", Description = "Last block to replay (default: the node's newest)" };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            HelpName = "FILE",
            Description = $"Resume from this file if it exists; save the auditor's state to it at the end and every {CheckpointEveryBlocks} blocks",
        };
        var command = new Command("audit",
            "Replay the whole ledger: hash chain, commit certificates, every transaction's signature, every receipt and state root re-computed. " +
            "Exit 1 on any discrepancy")
        {
            from, to, checkpoint,
        };
        var common = CommonOptions.ForReads(command);
        CommandRunner.SetAction(command, common.Json, async (parse, output, ct) =>
        {
            var values = common.Read(parse);
            if (values.GenesisPath is null)
            {
                throw new CliInputException($"an audit trusts only the genesis: give --genesis FILE or set {CommonOptions.GenesisVariable}");
            }
            var checkpointPath = parse.GetValue(checkpoint)?.FullName;
            using var session = await ClientSession.OpenAsync(values, output, ct);
            var (config, organisations) = GenesisLoader.Load(session.Genesis!);
            var resumeFrom = ResumePoint(output, checkpointPath, parse.GetValue(from));
            LedgerAuditor auditor;
            try
            {
                auditor = new LedgerAuditor(config, GenesisState.Entries(config, organisations), resumeFrom);
            }
            catch (InvalidDataException e)
            {
                throw new CliInputException($"{checkpointPath}: {e.Message}", e);
            }
            var head = (await session.Node.GetStatusAsync(ct)).Height;
            var target = parse.GetValue(to) ?? head;
            if (target > head)
            {
                output.Note($"note: --to {target} is above the node's newest block {head}; auditing to {head}");
                target = head;
            }
            if (target < auditor.Height)
            {
                throw new CliInputException($"--to {target} is below the checkpoint's height {auditor.Height}");
            }
            var clock = Stopwatch.StartNew();
            var report = await RunAsync(output, session.Node, auditor, target, checkpointPath, ct);
            if (checkpointPath is not null)
            {
                await auditor.Checkpoint().SaveAsync(checkpointPath, ct);
            }
            return Print(output, config.ChainId, report, resumeFrom, checkpointPath, auditor.Height, clock.Elapsed);
        });
        return command;
    }

    private static AuditCheckpoint? ResumePoint(CliOutput output, string? path, ulong? from)
    {
        AuditCheckpoint? saved = null;
        if (path is not null && File.Exists(path))
        {
            try
            {
                saved = AuditCheckpoint.Load(path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliInputException($"{path}: not a usable audit checkpoint: {e.Message}", e);
            }
        }
        if (saved is not null)
        {
            if (from is { } f && f <= saved.Height)
            {
                output.Note($"note: --from {f} is at or below the checkpoint's height {saved.Height}: replaying from genesis");
                return null;
            }
            if (from is { } g && g > saved.Height + 1)
            {
                throw new CliInputException($"--from {g}: the checkpoint in {path} holds the state after block {saved.Height}, so the replay can only start at {saved.Height + 1} (or lower, from genesis)");
            }
            output.Note($"note: resuming from the checkpoint at height {saved.Height} in {path}");
            return saved;
        }
        if (from is > 1)
        {
            throw new CliInputException($"--from {from}: replaying from there needs the state before it; give --checkpoint FILE saved at height {from - 1}, or start at 1 (genesis)");
        }
        return null;
    }

    private static async Task<AuditReport> RunAsync(CliOutput output, LedgerNodeClient node, LedgerAuditor auditor, ulong target, string? checkpointPath, CancellationToken ct)
    {
        var blocks = Blocks(node, auditor, target, checkpointPath, ct);
        if (!output.Interactive)
        {
            var lastLine = Stopwatch.StartNew();
            var quiet = new Callback(p =>
            {
                // Scripts and logs get a line every few seconds on stderr, not a redrawn bar.
                if (lastLine.Elapsed >= TimeSpan.FromSeconds(5))
                {
                    output.Note(ProgressText(p));
                    lastLine.Restart();
                }
            });
            return await auditor.RunAsync(blocks, target, quiet, ct);
        }
        AuditReport? report = null;
        await output.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var start = auditor.Height;
                var task = context.AddTask($"blocks {start}/{target}", maxValue: Math.Max(1, target - start));
                var live = new Callback(p =>
                {
                    task.Value = p.Height - start;
                    task.Description = Markup.Escape(ProgressText(p));
                });
                report = await auditor.RunAsync(blocks, target, live, ct);
                task.Value = task.MaxValue;
            });
        return report!;
    }

    private static string ProgressText(AuditProgress p) =>
        $"block {p.Height}/{p.TargetHeight}, {p.Transactions} tx, {p.TransactionsPerSecond:F0} tx/s, " +
        (p.Remaining is { } left ? $"{left:hh\\:mm\\:ss} left" : "time left unknown");

    /// <summary>
    /// The blocks from the auditor's height to the target, on one stream. Between two blocks the auditor is
    /// not applying anything, so its state is whole there: that is when the checkpoint is saved.
    /// </summary>
    private static async IAsyncEnumerable<StoredBlock> Blocks(
        LedgerNodeClient node, LedgerAuditor auditor, ulong target, string? checkpointPath, [EnumeratorCancellation] CancellationToken ct)
    {
        if (auditor.Height >= target)
        {
            yield break;
        }
        var savedAt = auditor.Height;
        await foreach (var block in node.StreamBlocksAsync(auditor.Height + 1, ct))
        {
            if (checkpointPath is not null && auditor.Height >= savedAt + CheckpointEveryBlocks)
            {
                await auditor.Checkpoint().SaveAsync(checkpointPath, ct);
                savedAt = auditor.Height;
            }
            yield return block;
            if (block.Block.Header.Height >= target)
            {
                yield break;
            }
        }
    }

    private static int Print(CliOutput output, string chainId, AuditReport r, AuditCheckpoint? resumedFrom, string? checkpointPath, ulong height, TimeSpan elapsed)
    {
        var exitCode = r.Clean ? ExitCodes.Ok : ExitCodes.Refused;
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["chainId"] = chainId,
                ["clean"] = r.Clean,
                ["resumedFromHeight"] = resumedFrom?.Height,
                ["fromHeight"] = r.FromHeight,
                ["toHeight"] = r.ToHeight,
                ["blocks"] = r.Blocks,
                ["transactions"] = r.Transactions,
                ["signatures"] = r.Signatures,
                ["commitCertificates"] = r.Certificates,
                ["findings"] = new JsonArray(r.Findings.Select(f => (JsonNode?)new JsonObject { ["height"] = f.Height, ["check"] = f.Check, ["detail"] = f.Detail }).ToArray()),
                ["certificatesByIssuerAndStatus"] = new JsonObject(r.CertificatesByIssuerAndStatus.Select(i =>
                    KeyValuePair.Create(i.Key, (JsonNode?)new JsonObject(i.Value.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)))))),
                ["consignmentsByVerdict"] = new JsonObject(r.ConsignmentsByVerdict.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
                ["equivocationsByValidator"] = new JsonObject(r.EquivocationsByValidator.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
                ["checkpoint"] = checkpointPath is null ? null : new JsonObject { ["file"] = checkpointPath, ["height"] = height },
                ["elapsedMs"] = (long)elapsed.TotalMilliseconds,
            });
            return exitCode;
        }
        output.Console.Write(new Rule($"[bold]Audit of {Markup.Escape(chainId)}[/]").LeftJustified());
        output.Field("replayed", r.Blocks == 0
            ? $"nothing new: the ledger is at height {height}"
            : $"blocks {r.FromHeight} to {r.ToHeight}{(resumedFrom is null ? ", from genesis" : $", resumed from the checkpoint at height {resumedFrom.Height}")}");
        output.Field("checked", $"{r.Blocks} blocks (hash chain, times, last commits), {r.Certificates} commit certificates against the validators of their heights, " +
            $"{r.Signatures} transaction signatures; {r.Transactions} transactions re-executed, every receipt, receipts root and state root re-computed");
        output.Field("elapsed", $"{elapsed.TotalSeconds:F1} s");
        if (r.Clean)
        {
            output.Line("[green]clean[/]: no discrepancy");
        }
        else
        {
            output.Line($"[red]{r.Findings.Count} discrepanc{(r.Findings.Count == 1 ? "y" : "ies")}[/]");
            foreach (var f in r.Findings)
            {
                output.Line($"  [red]height {f.Height}[/] {Markup.Escape(f.Check)}: {Markup.Escape(f.Detail)}");
            }
        }
        output.Field("equivocation proofs on the ledger", r.EquivocationsByValidator.Count == 0
            ? "none"
            : string.Join(", ", r.EquivocationsByValidator.Select(e => $"{e.Key}: {e.Value}")));
        var statuses = r.CertificatesByIssuerAndStatus.Values.SelectMany(s => s.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (r.CertificatesByIssuerAndStatus.Count == 0)
        {
            output.Field("certificates", "none");
        }
        else
        {
            output.Field("certificates by issuer and status", "");
            var table = new Table().AddColumn("issuer");
            foreach (var status in statuses)
            {
                table.AddColumn(new TableColumn(Markup.Escape(status)).RightAligned());
            }
            foreach (var (issuer, counts) in r.CertificatesByIssuerAndStatus)
            {
                table.AddRow([Markup.Escape(issuer), .. statuses.Select(s => counts.GetValueOrDefault(s).ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            }
            output.Write(table);
        }
        output.Field("consignments by verdict", r.ConsignmentsByVerdict.Count == 0 ? "none" : string.Join(", ", r.ConsignmentsByVerdict.Select(v => $"{v.Key}: {v.Value}")));
        if (checkpointPath is not null)
        {
            output.Field("checkpoint", $"saved at height {height} to {checkpointPath}");
        }
        return exitCode;
    }

    /// <summary>Reports on the caller's thread, unlike Progress&lt;T&gt;, so a live display sees each batch as it is done.</summary>
    private sealed class Callback(Action<AuditProgress> report) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value) => report(value);
    }
}
