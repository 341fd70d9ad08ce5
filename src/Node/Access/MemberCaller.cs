namespace Ledger.Node.Access;

/// <summary>A member organisation and the key (in its text form) it signed a call with.</summary>
public sealed record MemberCaller(string Organisation, string KeyText);
