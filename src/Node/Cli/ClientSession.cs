using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.Node.Cli;

/// <summary>
/// One command's link to the network: the nodes, the chain id, and — when a genesis is given — the
/// validators whose signatures prove answers. Without a genesis the chain id comes from a node and reads
/// are the node's word only; the session says so.
/// </summary>
public sealed class ClientSession : IDisposable
{
    private readonly LedgerConnection _connection;
    private readonly MemberSigner? _signer;

    private ClientSession(LedgerConnection connection, LedgerNodeClient node, GenesisDocument? genesis, MemberSigner? signer)
    {
        _connection = connection;
        Node = node;
        Genesis = genesis;
        _signer = signer;
    }

    public LedgerNodeClient Node { get; }

    public LedgerConnection Connection => _connection;

    /// <summary>The genesis given, or null: then answers cannot be proven.</summary>
    public GenesisDocument? Genesis { get; }

    public bool CanProve => Genesis is not null;

    public string ChainId => Node.ChainId;

    /// <summary>Connects; without a genesis, asks a node for the chain id and says so on the error writer.</summary>
    /// <exception cref="CliInputException">No node given, or the genesis file cannot be read.</exception>
    public static async Task<ClientSession> OpenAsync(CommonValues values, CliOutput output, CancellationToken ct)
    {
        if (values.Nodes.Count == 0)
        {
            throw new CliInputException($"no node to ask: give --node URL or set {CommonOptions.NodeVariable}");
        }
        var genesis = values.GenesisPath is { } path ? LoadGenesis(path) : null;
        TrustedValidators validators;
        if (genesis is not null)
        {
            validators = TrustedValidators.FromGenesis(genesis);
        }
        else
        {
            var status = await StatusAsync(values.Nodes, values.CaPath, ct);
            if (status.Validators.Count == 0 || string.IsNullOrEmpty(status.ChainId))
            {
                throw new CliInputException("the node names no chain id or validators; give --genesis FILE");
            }
            output.Note($"note: no genesis given: chain id '{status.ChainId}' taken from the node, and answers are not proven (give --genesis FILE or set {CommonOptions.GenesisVariable})");
            // Never used to check a proof: without a genesis nothing is asked with one.
            validators = new TrustedValidators(status.ChainId, status.Validators);
        }
        // The member that signs transactions signs reads too: nodes answer commercial content only to members.
        var signer = values.KeyPath is { } keyPath ? await LoadSignerAsync(keyPath, values.KeyFile, validators.ChainId, values.Organisation, ct) : null;
        var options = OptionsFor(values.Nodes, validators.ChainId, genesis, values.CaPath);
        options.Reader = signer;
        var connection = new LedgerConnection(Options.Create(options));
        return new ClientSession(connection, new LedgerNodeClient(connection, validators), genesis, signer);
    }

    /// <summary>The member signer of --key (or LEDGER_KEY) for this chain.</summary>
    /// <exception cref="CliInputException">No key given.</exception>
    public MemberSigner Signer() =>
        _signer ?? throw new CliInputException($"this command signs: give --key FILE (a member key file) or set {CommonOptions.KeyVariable}");

    /// <exception cref="CliInputException">The key file cannot be used (its message names it) or names no organisation.</exception>
    private static async Task<MemberSigner> LoadSignerAsync(string path, KeyFileOptions keyFile, string chainId, string? organisation, CancellationToken ct)
    {
        try
        {
            return await MemberSigner.FromKeyFileAsync(path, chainId, organisation, keyFile: keyFile, cancellationToken: ct);
        }
        catch (KeyFileException e)
        {
            throw new CliInputException(e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(e.Message.Split(" (Parameter", 2)[0] + "; give --organisation ORG", e);
        }
    }

    private static GenesisDocument LoadGenesis(string path)
    {
        try
        {
            var document = GenesisLoader.Parse(File.ReadAllText(path));
            GenesisLoader.Load(document);
            return document;
        }
        catch (Exception e) when (e is GenesisException or IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"genesis {path}: {e.Message}", e);
        }
    }

    private static async Task<NodeStatus> StatusAsync(IReadOnlyList<string> nodes, string? caPath, CancellationToken ct)
    {
        // The chain id is not known yet; a status call does not depend on it.
        using var probe = new LedgerConnection(Options.Create(OptionsFor(nodes, "unknown", null, caPath)));
        return await probe.CallAsync("GetStatus", async (client, options, _) =>
            await client.GetStatusAsync(new GetStatusRequest(), options), ct);
    }

    private static LedgerClientOptions OptionsFor(IReadOnlyList<string> nodes, string chainId, GenesisDocument? genesis, string? caPath)
    {
        var options = new LedgerClientOptions
        {
            ChainId = chainId,
            Genesis = genesis,
            CaFilePath = caPath,
            CallTimeout = TimeSpan.FromSeconds(10),
            CommitWait = TimeSpan.FromSeconds(20),
            // A node a block behind the one this command saw last is still an honest answer.
            StaleBlocksTolerated = 2,
        };
        foreach (var node in nodes)
        {
            options.Endpoints.Add(node);
        }
        return options;
    }

    public void Dispose() => _connection.Dispose();
}
