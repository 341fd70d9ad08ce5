namespace Ledger.Node.Chain;

/// <summary>A proposed block checked: valid with its execution outcome, or invalid and why.</summary>
public sealed record BlockCheck(ProposedBlock? Block, string? Reason)
{
    public static BlockCheck Valid(ProposedBlock block) => new(block, null);

    public static BlockCheck Invalid(string reason) => new(null, reason);
}
