using System.CommandLine;
using System.Runtime.InteropServices;
using Ledger.Contracts.Crypto;
using Ledger.Node.Devnet;
using Ledger.Node.Hosting;

namespace Ledger.Node.Cli;

/// <summary>The commands that run nodes: init, node, devnet.</summary>
public static class NodeCommands
{
    public static Command Init()
    {
        var validators = new Option<int>("--validators") { Description = "How many validator nodes (1 to 10)", DefaultValueFactory = _ => 4 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the network into", Required = true };
        var basePort = new Option<int>("--base-port") { Description = "Port of the first node; the others follow", DefaultValueFactory = _ => 7101 };
        var chainId = new Option<string>("--chain-id") { Description = "The network's name", DefaultValueFactory = _ => LocalNetwork.DefaultChainId };
        var command = new Command("init", "Write a genesis, one config and validator key per node, and member keys") { validators, output, basePort, chainId };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(validators);
            var firstPort = parse.GetValue(basePort);
            InRange("--validators", count, ValidatorsMin, ValidatorsMax);
            InRange("--base-port", firstPort, 1, PortMax - (count - 1));
            var folder = parse.GetValue(output)!.FullName;
            // init writes keys: it never overwrites, not even a folder of something else.
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new CliInputException($"--out '{folder}' exists and is not empty; init never overwrites: give a new or empty folder");
            }
            if (File.Exists(folder))
            {
                throw new CliInputException($"--out '{folder}' is a file; give a new or empty folder");
            }
            IReadOnlyList<string> endpoints;
            try
            {
                endpoints = await NetworkLayout.WriteAsync(folder, count, firstPort, parse.GetValue(chainId)!, ct);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                throw new CliInputException($"--out '{folder}' cannot be written: {e.Message}", e);
            }
            Console.WriteLine($"Wrote a network of {endpoints.Count} validators to {folder}");
            for (var i = 0; i < endpoints.Count; i++)
            {
                Console.WriteLine($"  node-{i + 1}: {endpoints[i]}   ledger node --config {NetworkLayout.NodeConfigPath(folder, i)}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The hidden option of `ledger node` that devnet, demo and bench give their nodes (<see cref="ChildNodes"/>).</summary>
    public const string ExitWithParentName = "--exit-with-parent";

    private const int ValidatorsMin = 1;
    private const int ValidatorsMax = 10;
    private const int PortMax = 65_535;

    // A node stopping finishes its block in hand, then closes its connections within LedgerNode.ShutdownTimeout.
    private static readonly TimeSpan ChildStopBound = LedgerNode.ShutdownTimeout * 3;

    // Closing the pipe is the only thing the parent does to stdin: its end, by exit or by signal, is the parent gone.
    private static async Task StopAtEndOfInputAsync(CancellationTokenSource stop)
    {
        using var input = Console.OpenStandardInput();
        await input.CopyToAsync(Stream.Null).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await stop.CancelAsync();
    }

    // Checked before anything is written: a network folder is written whole or not at all.
    private static void InRange(string option, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new CliInputException($"{option} {value} is outside {min} to {max}");
        }
    }

    public static Command Node()
    {
        var config = new Option<FileInfo>("--config") { Description = "The node's config.json", Required = true };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a setting of the config file, e.g. --set Mempool:TransactionsMax=100000 (repeatable; wins over LEDGER_ environment variables)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var exitWithParent = new Option<bool>(ExitWithParentName)
        {
            Description = "Stop, as on SIGTERM, when standard input ends: the process that started the node and holds the other end has gone",
            Hidden = true,
        };
        var command = new Command("node", "Run one node") { config, set, exitWithParent };
        var keyFile = KeyFileCliOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // Any failure, here or once the node runs, ends in the error boundary's one line (CliInvocation).
            // Before the overrides are read: it takes the passphrase variable out of the environment.
            var keyFileOptions = keyFile.Read(parse, parse.InvocationConfiguration.Error);
            var path = parse.GetValue(config)!.FullName;
            var overrides = ConfigOverrides.Read(parse.GetValue(set) ?? []);
            var nodeConfig = NodeConfig.Load(path, overrides);
            NodeConfigValidation.ThrowIfInvalid(nodeConfig, path);
            using var parentGone = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (parse.GetValue(exitWithParent))
            {
                _ = StopAtEndOfInputAsync(parentGone);
            }
            await LedgerNode.RunAsync(nodeConfig, overrides, keyFileOptions, parentGone.Token);
            return 0;
        });
        return command;
    }

    public static Command Devnet()
    {
        var validators = new Option<int>("--validators") { Description = "How many validator nodes", DefaultValueFactory = _ => 4 };
        var folder = new Option<DirectoryInfo>("--dir") { Description = "Where the network lives", DefaultValueFactory = _ => new DirectoryInfo("devnet") };
        var basePort = new Option<int>("--base-port") { Description = "Port of the first node", DefaultValueFactory = _ => 7101 };
        var command = new Command("devnet", "Start a local network of validator processes on 127.0.0.1; Ctrl-C stops them all") { validators, folder, basePort };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(validators);
            var firstPort = parse.GetValue(basePort);
            InRange("--validators", count, ValidatorsMin, ValidatorsMax);
            InRange("--base-port", firstPort, 1, PortMax - (count - 1));
            var nodes = await LocalNetwork.PrepareAsync(parse.GetValue(folder)!.FullName, count, firstPort, ct);
            await using var children = new ChildNodes(nodes.Count);
            for (var i = 0; i < nodes.Count; i++)
            {
                children.Start($"node-{i + 1}", nodes[i].Config, Console.Out);
            }
            Console.WriteLine($"Devnet of {nodes.Count} validators; data under {parse.GetValue(folder)!.FullName}. Endpoints:");
            for (var i = 0; i < nodes.Count; i++)
            {
                var page = Hosting.NodeConfig.Load(nodes[i].Config).VerificationPage;
                Console.WriteLine($"  node-{i + 1}: {nodes[i].Endpoint}{(page is null ? "" : $", verification page http://{page.Listen}/")} (pid {children.Processes[i].Id})");
            }
            Console.WriteLine("Ctrl-C stops them all.");
            // SIGTERM as Ctrl-C: the nodes are stopped and waited for, their last lines shown, and devnet exits 0. Left to
            // the runtime, SIGTERM ends devnet at once and the nodes stop on their own, unseen, once their pipes close.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            // A node exits on its own only when it cannot run (its folder in use, a port taken): the network is broken.
            int first;
            try
            {
                first = await children.WhenFirstExitsAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                first = -1;
            }
            await children.StopAsync(ChildStopBound);
            if (first < 0)
            {
                return ExitCodes.Ok;
            }
            var exitCode = children.Processes[first].ExitCode;
            throw new DevnetNodeFailedException($"node-{first + 1}", exitCode, children.LastError(first));
        });
        return command;
    }
}
