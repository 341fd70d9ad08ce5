namespace Ledger.Node.Devnet;

/// <summary>A local network in a folder: written by `ledger init` the first time, then started as child processes.</summary>
public static class LocalNetwork
{
    public const string DefaultChainId = "silk-road-devnet";

    /// <summary>Writes the network if the folder has none, and returns each node's config path and endpoint.</summary>
    public static async Task<IReadOnlyList<(string Config, string Endpoint)>> PrepareAsync(string folder, int validators, int basePort, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(folder, NetworkLayout.GenesisFile)))
        {
            await NetworkLayout.WriteAsync(folder, validators, basePort, DefaultChainId, ct);
        }
        var nodes = new List<(string, string)>();
        for (var i = 0; File.Exists(NetworkLayout.NodeConfigPath(folder, i)); i++)
        {
            var config = Hosting.NodeConfig.Load(NetworkLayout.NodeConfigPath(folder, i));
            nodes.Add((NetworkLayout.NodeConfigPath(folder, i), config.Listen));
        }
        return nodes;
    }
}
