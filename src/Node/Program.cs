using System.CommandLine;
using Ledger.Node.Cli;
using Ledger.Node.Demo;
using Spectre.Console;

namespace Ledger.Node;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var demo = new Command("demo", "Play the corridor story end to end: issue, declare, checkpoints, verify, use, a refused revocation, and a full replay");
        demo.SetAction(_ => new CorridorStory(AnsiConsole.Console).Run());

        var root = new RootCommand("ledger: a permissioned ledger for certificates of origin and route verification")
        {
            demo, NodeCommands.Init(), NodeCommands.Node(), NodeCommands.Devnet(), BenchCommands.Bench(), KeyCommands.Keys(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
