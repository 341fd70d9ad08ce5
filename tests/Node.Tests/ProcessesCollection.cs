namespace Ledger.Node.Tests;

/// <summary>
/// Tests that start networks of node processes run one class at a time: several four-node networks at
/// once on a two-core machine would turn their deadlines into a test of the scheduler.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessesCollection
{
    public const string Name = "Processes";
}
