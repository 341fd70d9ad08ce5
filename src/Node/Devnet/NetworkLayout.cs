using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Node.Hosting;

namespace Ledger.Node.Devnet;

/// <summary>
/// The folder `ledger init` writes: genesis.json, one folder per validator node (config.json and its
/// consensus key), and members/ with each member organisation's key file for the command line.
/// </summary>
public static class NetworkLayout
{
    public const string GenesisFile = "genesis.json";
    public const string ConfigFile = "config.json";
    public const string ValidatorKeyFile = "validator.key.json";
    public const string MembersFolder = "members";

    /// <summary>Each node's database folder, relative to its node folder.</summary>
    public const string DataFolder = "data";

    public static string NodeFolder(string root, int index) => Path.Combine(root, $"node-{index + 1}");

    public static string NodeDataFolder(string root, int index) => Path.Combine(NodeFolder(root, index), DataFolder);

    public static string NodeConfigPath(string root, int index) => Path.Combine(NodeFolder(root, index), ConfigFile);

    public static string MemberKeyPath(string root, string organisation) => Path.Combine(root, MembersFolder, organisation + ".key.json");

    /// <summary>
    /// Where node <paramref name="index"/> of a local network serves the verification page: the ports after the nodes' own,
    /// so a network of n nodes from port P uses P .. P + 2n - 1.
    /// </summary>
    public static string VerificationPageListen(int basePort, int validators, int index) => $"127.0.0.1:{basePort + validators + index}";

    /// <summary>Where node <paramref name="index"/> of a local network serves its metrics, when asked: the ports after the verification pages' (P + 2n ..).</summary>
    public static string MetricsListen(int basePort, int validators, int index) => $"127.0.0.1:{basePort + (2 * validators) + index}";

    /// <summary>Writes a new corridor network; refuses to overwrite an existing genesis.</summary>
    public static Task<IReadOnlyList<string>> WriteAsync(string root, int validators, int basePort, string chainId, CancellationToken ct)
    {
        if (validators is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(validators), validators, "a network has 1 to 10 validators");
        }
        return WriteAsync(root, CorridorGenesis.Create(chainId, DateTimeOffset.UtcNow.AddDays(-30), validators), basePort, null, ct, verificationPages: true);
    }

    /// <summary>
    /// Writes the given network, with optional consensus timings for every node; with <paramref name="verificationPages"/>, each
    /// node serves the verification page on the port <see cref="VerificationPageListen"/> gives (so 2n ports from the base must be free);
    /// with <paramref name="metrics"/>, its metrics on the port <see cref="MetricsListen"/> gives (3n ports).
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        string root,
        (GenesisDocument Document, IReadOnlyDictionary<string, KeyPair> MemberKeys, IReadOnlyList<KeyPair> ValidatorKeys) network,
        int basePort,
        ConsensusTimeouts? consensus,
        CancellationToken ct,
        bool verificationPages = false,
        bool metrics = false)
    {
        var (document, memberKeys, validatorKeys) = network;
        var validators = validatorKeys.Count;
        if (File.Exists(Path.Combine(root, GenesisFile)))
        {
            throw new IOException($"'{Path.Combine(root, GenesisFile)}' exists already; choose another folder or remove it");
        }
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, GenesisFile), GenesisLoader.Write(document), ct);
        Directory.CreateDirectory(Path.Combine(root, MembersFolder));
        foreach (var (organisation, pair) in memberKeys)
        {
            await new KeyFile(pair, organisation).SaveAsync(MemberKeyPath(root, organisation), overwrite: false, ct);
        }
        var endpoints = Enumerable.Range(0, validators).Select(i => $"http://127.0.0.1:{basePort + i}").ToArray();
        for (var i = 0; i < validators; i++)
        {
            var folder = NodeFolder(root, i);
            Directory.CreateDirectory(folder);
            await new KeyFile(validatorKeys[i], $"validator-{i + 1}").SaveAsync(Path.Combine(folder, ValidatorKeyFile), overwrite: false, ct);
            var peers = Enumerable.Range(0, validators).Where(p => p != i).Select(p => new PeerConfig(p, endpoints[p])).ToArray();
            var config = new NodeConfig($"validator-{i + 1}", endpoints[i], DataFolder, Path.Combine("..", GenesisFile), ValidatorKeyFile, peers, Consensus: consensus,
                VerificationPage: verificationPages ? new VerificationPageConfig(VerificationPageListen(basePort, validators, i)) : null,
                Metrics: metrics ? new MetricsConfig(MetricsListen(basePort, validators, i)) : null);
            await File.WriteAllTextAsync(Path.Combine(folder, ConfigFile), config.ToJson(), ct);
        }
        return endpoints;
    }
}
