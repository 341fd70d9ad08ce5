using Ledger.Node.Devnet;

namespace Ledger.Node.Bench;

/// <summary>
/// Deletes the databases of a benchmark's nodes once they have stopped, keeping the folder with their log:
/// a run of a minute leaves a few hundred megabytes per node, and a day of runs filled tens of gigabytes of /tmp.
/// </summary>
internal static class BenchDatabases
{
    public static void Delete(string networkFolder, int nodes, TextWriter progress)
    {
        for (var i = 0; i < nodes; i++)
        {
            var data = NetworkLayout.NodeDataFolder(networkFolder, i);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
        progress.WriteLine($"Deleted the nodes' databases; their log is kept in {networkFolder}.");
    }
}
