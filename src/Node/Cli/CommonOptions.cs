using System.CommandLine;

namespace Ledger.Node.Cli;

/// <summary>
/// The options every client command takes: nodes, genesis, key, CA, JSON. Environment variables fill in
/// what the command line leaves out (LEDGER_NODE, LEDGER_GENESIS, LEDGER_KEY, LEDGER_CA). The key signs transactions
/// and also reads of commercial content, which nodes answer only to members.
/// </summary>
public sealed class CommonOptions
{
    public const string NodeVariable = "LEDGER_NODE";
    public const string GenesisVariable = "LEDGER_GENESIS";
    public const string KeyVariable = "LEDGER_KEY";
    public const string CaVariable = "LEDGER_CA";

    private readonly Option<string[]> _node = new("--node")
    {
        Description = $"Node address, e.g. http://127.0.0.1:7101; repeat for several (default: ${NodeVariable}, comma-separated)",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "URL",
    };

    private readonly Option<FileInfo?> _genesis = new("--genesis")
    {
        HelpName = "FILE",
        Description = $"The network's genesis.json: the validators whose signatures prove answers, and the chain id (default: ${GenesisVariable})",
    };

    private readonly Option<FileInfo?> _key;

    private readonly Option<string?> _organisation = new("--organisation")
    {
        HelpName = "ORG",
        Description = "The signing organisation, when the key file does not name it",
    };

    private readonly Option<FileInfo?> _ca = new("--ca")
    {
        HelpName = "FILE",
        Description = $"PEM file of the CA that signs the nodes' TLS certificates, for https:// nodes (default: ${CaVariable}; else the system's roots)",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON (notes and errors go to stderr)" };

    private KeyFileCliOptions? _keyFile;

    private CommonOptions(bool signs)
    {
        _key = new("--key")
        {
            HelpName = "FILE",
            Description = signs
                ? $"Member key file that signs the transaction, and reads (default: ${KeyVariable})"
                : $"Member key file that signs reads; needed for full certificates, consignments and blocks (default: ${KeyVariable})",
        };
    }

    /// <summary>Options of a command that only reads: --key and --organisation sign the reads.</summary>
    public static CommonOptions ForReads(Command command) => AddTo(command, new CommonOptions(signs: false));

    /// <summary>Options of a command that signs a transaction: also --key and --organisation.</summary>
    public static CommonOptions ForWrites(Command command) => AddTo(command, new CommonOptions(signs: true));

    public bool Json(ParseResult parse) => parse.GetValue(_json);

    public CommonValues Read(ParseResult parse)
    {
        var nodes = (parse.GetValue(_node) ?? []).SelectMany(Split).ToList();
        if (nodes.Count == 0)
        {
            nodes.AddRange(Split(Environment.GetEnvironmentVariable(NodeVariable)));
        }
        foreach (var node in nodes)
        {
            if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliInputException($"--node '{node}' is not an http:// or https:// address");
            }
        }
        var genesis = parse.GetValue(_genesis)?.FullName ?? Blank(Environment.GetEnvironmentVariable(GenesisVariable));
        var key = parse.GetValue(_key)?.FullName ?? Blank(Environment.GetEnvironmentVariable(KeyVariable));
        var ca = parse.GetValue(_ca)?.FullName ?? Blank(Environment.GetEnvironmentVariable(CaVariable));
        return new CommonValues(nodes, genesis, key, parse.GetValue(_organisation), parse.GetValue(_json), ca,
            _keyFile!.Read(parse, parse.InvocationConfiguration.Error));
    }

    private static CommonOptions AddTo(Command command, CommonOptions options)
    {
        command.Options.Add(options._node);
        command.Options.Add(options._genesis);
        command.Options.Add(options._key);
        command.Options.Add(options._organisation);
        command.Options.Add(options._ca);
        command.Options.Add(options._json);
        options._keyFile = KeyFileCliOptions.AddTo(command);
        return options;
    }

    private static IEnumerable<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
