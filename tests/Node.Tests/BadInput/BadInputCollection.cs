namespace Ledger.Node.Tests.BadInput;

/// <summary>
/// The bad-input tests share one node and run one class at a time: each asserts that the node's height
/// and state root did not move, which only holds while no other test is committing on it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<BadInputNode>
{
    public const string Name = "BadInputNode";
}
