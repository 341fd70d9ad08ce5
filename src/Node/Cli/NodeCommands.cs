using System.CommandLine;
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
            var folder = parse.GetValue(output)!.FullName;
            var endpoints = await NetworkLayout.WriteAsync(folder, parse.GetValue(validators), parse.GetValue(basePort), parse.GetValue(chainId)!, ct);
            Console.WriteLine($"Wrote a network of {endpoints.Count} validators to {folder}");
            for (var i = 0; i < endpoints.Count; i++)
            {
                Console.WriteLine($"  node-{i + 1}: {endpoints[i]}   ledger node --config {NetworkLayout.NodeConfigPath(folder, i)}");
            }
            return 0;
        });
        return command;
    }

    public static Command Node()
    {
        var config = new Option<FileInfo>("--config") { Description = "The node's config.json", Required = true };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a setting of the config file, e.g. --set Mempool:TransactionsMax=100000 (repeatable; wins over LEDGER_ environment variables)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("node", "Run one node") { config, set };
        var keyFile = KeyFileCliOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // Before the overrides are read: it takes the passphrase variable out of the environment.
            var keyFileOptions = keyFile.Read(parse, parse.InvocationConfiguration.Error);
            NodeConfig nodeConfig;
            ConfigOverrides overrides;
            try
            {
                overrides = ConfigOverrides.Read(parse.GetValue(set) ?? []);
                nodeConfig = NodeConfig.Load(parse.GetValue(config)!.FullName, overrides);
            }
            catch (InvalidDataException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
            try
            {
                await LedgerNode.RunAsync(nodeConfig, overrides, keyFileOptions, ct);
            }
            catch (KeyFileException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
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
            var nodes = await LocalNetwork.PrepareAsync(parse.GetValue(folder)!.FullName, parse.GetValue(validators), parse.GetValue(basePort), ct);
            await using var children = new ChildNodes(nodes.Count);
            for (var i = 0; i < nodes.Count; i++)
            {
                children.Start($"node-{i + 1}", nodes[i].Config, Console.Out);
            }
            Console.WriteLine($"Devnet of {nodes.Count} validators; data under {parse.GetValue(folder)!.FullName}. Endpoints:");
            foreach (var (_, endpoint) in nodes)
            {
                Console.WriteLine($"  {endpoint}");
            }
            Console.WriteLine("Ctrl-C stops them all.");
            await Task.WhenAll(children.Processes.Select(p => p.WaitForExitAsync(ct))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 0;
        });
        return command;
    }
}
