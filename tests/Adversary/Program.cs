using System.Globalization;
using Ledger.Adversary;
using Ledger.Contracts.Crypto;
using Ledger.Node.Bench;
using Ledger.Node.Devnet;
using Ledger.Wire;

// dotnet run -c Release --project tests/Adversary -- [seconds] [pairs]: `ledger bench commit`'s load, run alternately on
// a network of honest validators and on one whose last validator is an AdversaryValidator; prints both and their ratio.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var options = new CommitBenchOptions(4, 0, seconds, [(KeySuite.Ed25519, 4)], 64);
HostileValidatorFactory hostile = async (folder, chainId, endpoints, index, ct) =>
{
    var key = (await KeyFile.LoadAsync(Path.Combine(NetworkLayout.NodeFolder(folder, index), NetworkLayout.ValidatorKeyFile), cancellationToken: ct)).Pair;
    var peers = endpoints.Select((e, i) => (i, e)).Where(p => p.i != index).ToArray();
    return await AdversaryValidator.StartAsync(chainId, index, key, endpoints[index], peers, victim: 0);
};
var rows = new List<(string Network, CommitBenchResult Result)>();
for (var pair = 0; pair < pairs; pair++)
{
    rows.Add(("4 honest", await CommitBench.RunAsync(options, TextWriter.Null, CancellationToken.None)));
    rows.Add(("3 honest + 1 hostile", await CommitBench.RunAsync(options, TextWriter.Null, CancellationToken.None, hostile)));
}
Console.WriteLine($"{"network",-22} {"committed tx/s",15} {"p50 s",7} {"p99 s",7} {"node CPU ms/tx",15} {"died",5}");
foreach (var (network, r) in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{network,-22} {r.CommittedPerSecond,15:F0} {r.FinalityLatency.P50Ms / 1000,7:F2} {r.FinalityLatency.P99Ms / 1000,7:F2} {r.NodesCpuMsPerTransaction,15:F2} {r.NodesDied.Count,5}"));
}
var honest = rows.Where(r => r.Network == "4 honest").Average(r => r.Result.CommittedPerSecond);
var withHostile = rows.Where(r => r.Network != "4 honest").Average(r => r.Result.CommittedPerSecond);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"honest nodes beside the hostile one commit {withHostile / honest:P0} of a healthy network's rate"));
return rows.Any(r => r.Result.Failed) ? 1 : 0;
