using Ledger.Node.Storage;
using Ledger.StorageCrashWriter;

// Usage: StorageCrashWriter <data folder> <seed> <transactions per block> <blocks max>
// Commits synthetic blocks into the folder and prints "committed <height>" after each commit returns;
// the crash tests kill it at moments of their choosing and check that every printed height survived.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: StorageCrashWriter <data folder> <seed> <transactions per block> <blocks max>");
    return 2;
}
var folder = args[0];
var seed = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var transactionsPerBlock = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var blocksMax = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);

var chain = new SyntheticChain(seed, transactionsPerBlock, valueBytes: 1_536);
using var database = new NodeDatabase(folder);
var store = new BlockStore(database, SyntheticChain.Identity);
if (!store.IsInitialised)
{
    chain.InitialiseGenesis(store);
}
// A restarted writer continues the same deterministic chain from the stored head.
while (chain.Head.Height < store.Head.Height)
{
    chain.Next();
}
Console.Out.Flush();
for (var i = 0; i < blocksMax; i++)
{
    var block = chain.Next();
    store.CommitBlock(block);
    Console.WriteLine($"committed {block.Height}");
    Console.Out.Flush();
}
return 0;
