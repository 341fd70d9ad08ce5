using System.CommandLine;
using Ledger.Node.Cli;

namespace Ledger.Node;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ledger: a permissioned ledger for certificates of origin and route verification")
        {
            DemoCommand.Demo(), NodeCommands.Init(), NodeCommands.Node(), NodeCommands.Devnet(), BenchCommands.Bench(), KeyCommands.Keys(),
            CertCommands.Cert(), RouteCommands.Route(), AuditCommand.Audit(), StatusCommand.Status(), TlsCommands.Tls(), GovCommands.Gov(),
        };
        return CliInvocation.InvokeAsync(root, args);
    }
}
