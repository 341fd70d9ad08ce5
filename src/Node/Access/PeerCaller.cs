namespace Ledger.Node.Access;

/// <summary>Who opened a node-to-node call: a validator of the genesis set, or a member (a read replica).</summary>
public sealed record PeerCaller(int? ValidatorIndex, string? Organisation)
{
    public bool IsValidator => ValidatorIndex is not null;
}
