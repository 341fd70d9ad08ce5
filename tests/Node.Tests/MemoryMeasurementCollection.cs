namespace Ledger.Node.Tests;

/// <summary>
/// Tests that measure the heap with forced collections run alone, after the parallel ones: other tests
/// allocating meanwhile would count as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement";
}
