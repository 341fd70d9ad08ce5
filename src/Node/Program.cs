using System.CommandLine;

namespace Ledger.Node;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ledger: a permissioned ledger for certificates of origin and route verification");
        return root.Parse(args).InvokeAsync();
    }
}
