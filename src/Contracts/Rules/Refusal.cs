namespace Ledger.Contracts.Rules;

/// <summary>A rule that failed: its stable code, and a sentence naming the field, the value and the rule.</summary>
public sealed record Refusal(string Code, string Message)
{
    public RefusalKind Kind => RuleCatalog.KindOf(Code);

    public override string ToString() => $"{Code}: {Message}";
}
