using System.CommandLine;
using Ledger.Contracts.Crypto;
using Ledger.Node.Tls;

namespace Ledger.Node.Cli;

/// <summary>`ledger tls new`: a network's own CA and its nodes' certificates (<see cref="NetworkCertificates"/>).</summary>
public static class TlsCommands
{
    public static Command Tls()
    {
        var output = new Option<DirectoryInfo>("--out") { HelpName = "DIR", Description = "Folder of the CA and the node certificates; an existing CA there signs the new ones", Required = true };
        var nodes = new Option<string[]>("--node")
        {
            HelpName = "NAME[=HOST,...]",
            Description = "A node's name and the DNS names or IP addresses it is reached at (default: the name); repeatable",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            Required = true,
        };
        var caName = new Option<string>("--ca-name") { Description = "Common name of a new CA", DefaultValueFactory = _ => "Ledger network CA" };
        var days = new Option<int>("--days") { Description = "Days a new certificate is valid (a new CA: ten times as long)", DefaultValueFactory = _ => 825 };
        var create = new Command("new", "Make a network CA (unless the folder has one) and a TLS certificate and key for each node") { output, nodes, caName, days };
        create.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var folder = parse.GetValue(output)!.FullName;
            var validity = parse.GetValue(days);
            if (validity is < 1 or > 3650)
            {
                await error.WriteLineAsync($"--days {validity}: give 1 to 3650");
                return ExitCodes.BadInput;
            }
            var named = new List<(string Name, string[] Hosts)>();
            foreach (var spec in parse.GetValue(nodes)!)
            {
                var (name, hosts) = spec.Split('=', 2) is [var n, var h] ? (n.Trim(), h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : (spec.Trim(), [spec.Trim()]);
                if (name.Length == 0 || hosts.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.'))
                {
                    await error.WriteLineAsync($"--node '{spec}': expected NAME or NAME=HOST[,HOST...], the name usable as a file name");
                    return ExitCodes.BadInput;
                }
                named.Add((name, hosts));
            }
            try
            {
                using var certificates = NetworkCertificates.OpenOrCreate(folder, parse.GetValue(caName)!, validity * 10);
                var writer = parse.InvocationConfiguration.Output;
                await writer.WriteLineAsync(certificates.CreatedCa
                    ? $"Wrote the network CA {certificates.CaFile} and its key {Path.Combine(folder, NetworkCertificates.CaKeyFile)} (mode 0600: keep it offline)"
                    : $"Signed with the existing CA {certificates.CaFile}");
                foreach (var (name, hosts) in named)
                {
                    var (certificate, key) = certificates.IssueNode(name, hosts, validity);
                    await writer.WriteLineAsync($"  {name}: {certificate} and {key}, for {string.Join(", ", hosts)}");
                }
                await writer.WriteLineAsync($"In each node's config.json: \"tls\": {{ \"certificateFile\": \"NAME.pem\", \"keyFile\": \"NAME.key.pem\", \"caFile\": \"{NetworkCertificates.CaCertificateFile}\" }} (paths relative to config.json)");
                return ExitCodes.Ok;
            }
            catch (KeyFileException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
        });
        return new Command("tls", "TLS certificates for a network's nodes") { create };
    }
}
