using Ledger.Node.Tests.Storage;

namespace Ledger.Node.Tests.Hosting;

/// <summary>A config.json as `ledger init` writes it, in a folder of its own.</summary>
internal static class NodeConfigFiles
{
    public static string Write(TempFolder folder, string? extra = null)
    {
        var path = Path.Combine(folder.Path, "node-1", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $$"""
            {
              "nodeId": "validator-1",
              "listen": "http://127.0.0.1:7101",
              "dataDir": "data",
              "genesisFile": "../genesis.json",
              "validatorKeyFile": "validator.key.json",
              "peers": [ { "validatorIndex": 1, "endpoint": "http://127.0.0.1:7102" } ],
              "mempool": { "transactionsMax": 50000, "bytesMax": 134217728 }{{extra}}
            }
            """);
        return path;
    }
}
